"""Verifying the users' access tokens that auth-flask issues.

Keys come from auth's JWKS (`AUTH_JWKS_URL`) through PyJWT's `PyJWKClient`, which caches them and
fetches the set again when a token names a `kid` it does not know (a key rotation). The algorithm
(RS256), the issuer and the audience (`shop`: user tokens only, never service tokens) are pinned,
so a token signed any other way, by anyone else, or for another audience is refused.
"""

from dataclasses import dataclass
from typing import Any

import jwt
from flask import current_app, request

from notify.errors import NotAuthenticated, ServiceUnavailable, TokenInvalid
from notify.extensions import user_token_keys

ALGORITHMS = ["RS256"]
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]


@dataclass(frozen=True)
class Principal:
    user_id: int
    roles: tuple[str, ...]


def token_verify(token: str) -> Principal:
    """The user a bearer token speaks for; raises TokenInvalid for any token we did not issue."""
    try:
        key = user_token_keys.client.get_signing_key_from_jwt(token)
    except jwt.PyJWKClientConnectionError as exc:
        raise ServiceUnavailable("The token keys cannot be fetched right now.") from exc
    except (jwt.PyJWKClientError, jwt.InvalidTokenError) as exc:
        raise TokenInvalid() from exc
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=key,
            algorithms=ALGORITHMS,
            audience=current_app.config["JWT_AUDIENCE"],
            issuer=current_app.config["JWT_ISSUER"],
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.InvalidTokenError as exc:
        raise TokenInvalid() from exc
    subject, roles = claims["sub"], claims.get("roles", [])
    if not isinstance(subject, str) or not subject.isdigit() or not isinstance(roles, list):
        raise TokenInvalid()
    return Principal(user_id=int(subject), roles=tuple(str(role) for role in roles))


def authenticated_user_id() -> int:
    """The id of the user whose access token came with the request (401 without one)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated()
    return token_verify(token.strip()).user_id
