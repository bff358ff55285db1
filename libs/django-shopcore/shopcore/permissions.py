"""Who may call what: roles and audiences from the verified token (shopcore.authentication).

Anonymous callers of a protected endpoint get 401 (DRF asks the authenticator for a
challenge); authenticated callers without the role get 403.
"""

from django.conf import settings
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from shopcore.authentication import JwtUser


class IsAdmin(BasePermission):
    """A user token (audience shop) with the admin role."""

    message = "This needs a user token with the admin role."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return (
            isinstance(user, JwtUser)
            and settings.JWT_AUDIENCE in user.audiences
            and user.has_role("admin")
        )


class IsService(BasePermission):
    """A service token (audience shop-internal) with the service role."""

    message = "This is for service tokens only."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return (
            isinstance(user, JwtUser)
            and settings.JWT_INTERNAL_AUDIENCE in user.audiences
            and user.has_role("service")
        )
