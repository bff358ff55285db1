"""Verifying the users' access tokens that auth-flask issues.

Keys come from auth's JWKS (`AUTH_JWKS_URL`) through PyJWT's `PyJWKClient`, which caches them and
fetches the set again when a token names a `kid` it does not know (a key rotation). The algorithm
(RS256), the issuer and the audience (`shop`: user tokens only, never service tokens) are pinned,
so a token signed any other way, by anyone else, or for another audience is refused.
"""

from dataclasses import dataclass
from functools import wraps
from typing import Any

import jwt
from flask import Flask, current_app, g, request

from notify.errors import NotAuthenticated, ServiceUnavailable, TokenInvalid

ALGORITHMS = ["RS256"]
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]


@dataclass(frozen=True)
class Principal:
    user_id: int
    roles: tuple[str, ...]


def init_tokens(app: Flask) -> None:
    app.extensions["notify.jwks"] = jwt.PyJWKClient(
        app.config["AUTH_JWKS_URL"],
        cache_keys=True,
        lifespan=300,
        timeout=int(max(1, app.config["HTTP_TIMEOUT"])),
    )


def token_verify(token: str) -> Principal:
    """The user a bearer token speaks for; raises TokenInvalid for any token we did not issue."""
    jwks: jwt.PyJWKClient = current_app.extensions["notify.jwks"]
    try:
        key = jwks.get_signing_key_from_jwt(token)
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


def bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated()
    return token.strip()


def login_required(view):
    """Resolve the caller from the bearer token into `g.principal`, or answer 401."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        g.principal = token_verify(bearer_token())
        return view(*args, **kwargs)

    return wrapper


def current_principal() -> Principal:
    return g.principal
