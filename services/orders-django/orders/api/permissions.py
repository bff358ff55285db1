"""Who may call the cart and orders API, on top of shopcore.permissions (IsAdmin, IsService)."""

from typing import Any

from django.conf import settings
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from shopcore.authentication import JwtUser


class IsShopUser(BasePermission):
    """A person signed in to the shop: a user token (audience shop) whose subject is a user id.

    Everything under /api/cart/ and /api/orders/ belongs to such a user; a service token is
    turned away (403) even though its signature is fine.
    """

    message = "This needs a user token."

    # `view` is not typed as APIView: this class is a default permission, imported while DRF's
    # views module is still loading.
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return (
            isinstance(user, JwtUser)
            and settings.JWT_AUDIENCE in user.audiences
            and user.id.isdecimal()
        )


def user_id(request: Request) -> int:
    """The signed-in user's id (IsShopUser has checked that it is one)."""
    return int(request.user.id)


def is_admin(request: Request) -> bool:
    return request.user.has_role("admin")
