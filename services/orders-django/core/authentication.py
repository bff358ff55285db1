"""Access tokens issued by auth-flask, verified here against its JWKS.

No call to auth per request: the public keys are fetched once and cached by PyJWT's
PyJWKClient, which fetches again when a token names an unknown `kid` (a rotated key).
Algorithm, issuer and audience are pinned: public endpoints take `aud=shop` tokens, internal
ones only `aud=shop-internal` tokens with the `service` role.
"""

import functools
import logging
from dataclasses import dataclass, field

import jwt
from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from core.errors import ServiceUnavailableError

logger = logging.getLogger(__name__)

PUBLIC_AUDIENCE = "shop"
INTERNAL_AUDIENCE = "shop-internal"
ALGORITHMS = ["RS256"]


@dataclass(frozen=True)
class TokenUser:
    """The caller, as the token describes it. There is no user table in this service."""

    subject: str
    roles: tuple[str, ...] = field(default_factory=tuple)
    is_authenticated: bool = True

    @property
    def id(self) -> int:
        return int(self.subject)

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def is_service(self) -> bool:
        return "service" in self.roles


@functools.cache
def jwks_client() -> jwt.PyJWKClient:
    return jwt.PyJWKClient(
        settings.AUTH_JWKS_URL,
        cache_keys=True,
        lifespan=settings.JWKS_CACHE_SECONDS,
        timeout=settings.UPSTREAM_TIMEOUT_SECONDS,
    )


def token_decode(token: str, *, audience: str) -> dict:
    try:
        signing_key = jwks_client().get_signing_key_from_jwt(token)
    except jwt.PyJWKClientConnectionError as exc:
        logger.warning("JWKS unreachable", extra={"error": str(exc)})
        raise ServiceUnavailableError("The sign-in service is unavailable.") from exc
    except (jwt.PyJWKClientError, jwt.DecodeError) as exc:
        raise exceptions.AuthenticationFailed("The access token is not valid.") from exc
    try:
        return jwt.decode(
            token,
            key=signing_key.key,
            algorithms=ALGORITHMS,
            audience=audience,
            issuer=settings.JWT_ISSUER,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            leeway=settings.JWT_LEEWAY_SECONDS,
        )
    except jwt.ExpiredSignatureError as exc:
        raise exceptions.AuthenticationFailed("The access token has expired.") from exc
    except jwt.InvalidTokenError as exc:
        raise exceptions.AuthenticationFailed("The access token is not valid.") from exc


class JWTAuthentication(BaseAuthentication):
    """`Authorization: Bearer <access token>` for the public API (aud=shop)."""

    audience = PUBLIC_AUDIENCE

    def authenticate(self, request: Request) -> tuple[TokenUser, dict] | None:
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise exceptions.AuthenticationFailed("Send the token as 'Authorization: Bearer ...'.")
        claims = token_decode(token.strip(), audience=self.audience)
        roles = claims.get("roles") or []
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            raise exceptions.AuthenticationFailed("The access token is not valid.")
        user = TokenUser(subject=str(claims["sub"]), roles=tuple(roles))
        if self.audience == PUBLIC_AUDIENCE and not user.subject.isdigit():
            raise exceptions.AuthenticationFailed("The access token is not valid.")
        return user, claims

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) when credentials are missing.
        return 'Bearer realm="shop"'


class ServiceJWTAuthentication(JWTAuthentication):
    """Service tokens (aud=shop-internal) for /internal/ endpoints."""

    audience = INTERNAL_AUDIENCE


class IsCustomer(BasePermission):
    """Any signed-in person (customer or admin) acting on their own data."""

    def has_permission(self, request: Request, view: object) -> bool:
        return bool(request.user and getattr(request.user, "is_authenticated", False))


class IsAdmin(IsCustomer):
    def has_permission(self, request: Request, view: object) -> bool:
        return super().has_permission(request, view) and request.user.is_admin


class IsService(IsCustomer):
    def has_permission(self, request: Request, view: object) -> bool:
        return super().has_permission(request, view) and request.user.is_service
