"""Bearer tokens from auth-flask, verified against its published keys (JWKS).

The signature is checked with the key whose `kid` the token names, fetched with PyJWT's
PyJWKClient (cached; fetched again when an unknown `kid` shows up, e.g. after a key rotation).
The algorithm (RS256), the issuer and the audiences are pinned, so a token signed with
`alg=none`, with HS256 and the public key as secret, or for another issuer never passes.

Both audiences are accepted here; the permissions decide what each may do: user tokens
(`aud=shop`) reach public and admin endpoints, service tokens (`aud=shop-internal`) the
internal ones. A valid token without the right audience or role is a 403, not a 401.
"""

import functools
import logging
from dataclasses import dataclass, field
from typing import Any

import jwt
from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JwtUser:
    """The caller a verified token describes. Not stored anywhere: the token is the session."""

    id: str
    roles: frozenset[str]
    audiences: frozenset[str]
    token_id: str | None = None
    claims: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    # What Django and DRF ask of a user object.
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def __str__(self) -> str:
        return self.id


class TokenServiceUnavailable(exceptions.APIException):
    status_code = 503
    default_code = "service_unavailable"
    default_detail = "The keys to verify the token cannot be fetched right now. Try again shortly."


class JwtAuthentication(BaseAuthentication):
    """`Authorization: Bearer <jwt>`; no header means anonymous, a bad token means 401."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[JwtUser, dict[str, Any]] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "The Authorization header must be 'Bearer <token>'."
            )
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        claims = decode_token(token)
        return user_from_claims(claims), claims

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) when credentials are missing.
        return f'{self.keyword} realm="api"'


def decode_token(token: str) -> dict[str, Any]:
    """Verify signature, algorithm, issuer, audience and expiry; return the claims."""
    client = _jwks_client(settings.AUTH_JWKS_URL)
    try:
        signing_key = client.get_signing_key_from_jwt(token)
    except jwt.PyJWKClientConnectionError as error:
        logger.warning("JWKS unreachable", extra={"error": str(error)})
        raise TokenServiceUnavailable() from error
    except (jwt.PyJWKClientError, jwt.InvalidTokenError) as error:
        raise exceptions.AuthenticationFailed("The token is not valid.") from error
    try:
        return jwt.decode(
            token,
            key=signing_key.key,
            algorithms=settings.JWT_ALGORITHMS,
            audience=[settings.JWT_AUDIENCE, settings.JWT_INTERNAL_AUDIENCE],
            issuer=settings.JWT_ISSUER,
            leeway=settings.JWT_LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise exceptions.AuthenticationFailed("The token has expired.") from error
    except jwt.InvalidTokenError as error:
        raise exceptions.AuthenticationFailed("The token is not valid.") from error


def user_from_claims(claims: dict[str, Any]) -> JwtUser:
    subject, roles, audience = claims.get("sub"), claims.get("roles", []), claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if (
        not isinstance(subject, str)
        or not subject
        or not isinstance(roles, list)
        or not all(isinstance(role, str) for role in roles)
    ):
        raise exceptions.AuthenticationFailed("The token is not valid.")
    return JwtUser(
        id=subject,
        roles=frozenset(roles),
        audiences=frozenset(audiences),
        token_id=claims.get("jti"),
        claims=claims,
    )


@functools.cache
def _jwks_client(url: str) -> jwt.PyJWKClient:
    # One client per URL for the life of the process, so its key cache is shared by requests.
    return jwt.PyJWKClient(
        url,
        lifespan=settings.JWKS_CACHE_SECONDS,
        timeout=settings.JWKS_TIMEOUT_SECONDS,
        cooldown_duration=settings.JWKS_REFRESH_COOLDOWN_SECONDS,
    )
