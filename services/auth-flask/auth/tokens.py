"""Access tokens: RS256 JWTs signed with the current key, verified against current or previous.

Verification pins everything an attacker could otherwise choose: the algorithm (RS256 only, so
`alg=none` and HS256-with-the-public-key fail), the key (looked up by `kid` among our own keys,
never taken from the token), the issuer, the audience, and the presence of every claim.
"""

import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt
from flask import current_app

from auth.errors import TokenInvalid
from auth.extensions import signing_keys
from auth.keys import SIGNING_ALGORITHM

USER_AUDIENCE = "shop"
SERVICE_AUDIENCE = "shop-internal"
SERVICE_ROLE = "service"
SERVICE_TOKEN_TTL_SECONDS = 300
_REQUIRED_CLAIMS = ["iss", "aud", "sub", "exp", "iat", "jti", "roles"]


@dataclass(frozen=True)
class EncodedToken:
    token: str
    expires_in: int


@dataclass(frozen=True)
class Claims:
    subject: str
    audiences: frozenset[str]
    roles: frozenset[str]
    token_id: str

    @property
    def user_id(self) -> int | None:
        """The user id for user tokens; None for service tokens."""
        return int(self.subject) if self.subject.isdecimal() else None


def _encode(*, subject: str, audience: str, roles: list[str], ttl: int) -> EncodedToken:
    key = signing_keys.ring.current()
    now = int(time.time())
    claims = {
        "iss": current_app.config["JWT_ISSUER"],
        "aud": audience,
        "sub": subject,
        "iat": now,
        "exp": now + ttl,
        "jti": secrets.token_urlsafe(16),
        "roles": roles,
    }
    token = jwt.encode(
        claims, key.private_key, algorithm=SIGNING_ALGORITHM, headers={"kid": key.kid}
    )
    return EncodedToken(token=token, expires_in=ttl)


def user_token_encode(*, user_id: int, roles: list[str]) -> EncodedToken:
    return _encode(
        subject=str(user_id),
        audience=USER_AUDIENCE,
        roles=roles,
        ttl=current_app.config["ACCESS_TOKEN_TTL_SECONDS"],
    )


def service_token_encode(*, client_id: str) -> EncodedToken:
    return _encode(
        subject=f"service:{client_id}",
        audience=SERVICE_AUDIENCE,
        roles=[SERVICE_ROLE],
        ttl=SERVICE_TOKEN_TTL_SECONDS,
    )


def token_decode(token: str) -> Claims:
    """Verify a user or service token; which one an endpoint accepts is the caller's check."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as exc:
        raise TokenInvalid() from exc
    kid = header.get("kid")
    if header.get("alg") != SIGNING_ALGORITHM or not isinstance(kid, str):
        raise TokenInvalid()
    key = signing_keys.ring.find(kid)
    if key is None:
        raise TokenInvalid()
    try:
        payload: dict[str, Any] = jwt.decode(
            token,
            key.public_key,
            algorithms=[SIGNING_ALGORITHM],
            audience=[USER_AUDIENCE, SERVICE_AUDIENCE],
            issuer=current_app.config["JWT_ISSUER"],
            options={"require": _REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenInvalid("The token has expired.") from exc
    except jwt.InvalidTokenError as exc:
        raise TokenInvalid() from exc

    audience = payload["aud"]
    audiences = frozenset([audience] if isinstance(audience, str) else audience)
    roles = payload["roles"]
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise TokenInvalid()
    if not isinstance(payload["sub"], str) or not isinstance(payload["jti"], str):
        raise TokenInvalid()
    return Claims(
        subject=payload["sub"], audiences=audiences, roles=frozenset(roles), token_id=payload["jti"]
    )
