"""The auth service's use cases: accounts, passwords, sessions and service tokens.

Resources call one of these functions each. Every function that writes commits its own
transaction, so a use case happens completely or not at all.

A session is a refresh-token family. Each login starts one; each refresh spends the presented
token and adds its successor to the same family. A token is good for one refresh: presenting a
spent token again means someone kept a copy, so the whole family is revoked and both holders
must log in again.
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from auth import selectors
from auth.errors import (
    Conflict,
    InvalidCredentials,
    NotAuthenticated,
    RateLimited,
    TokenInvalid,
    ValidationFailed,
)
from auth.events import event_record
from auth.extensions import db
from auth.lockout import lockout_remaining, login_failure_record, login_failures_clear
from auth.models import RefreshToken, RefreshTokenFamily, Role, User, normalize_email, utcnow
from auth.passwords import (
    password_hash,
    password_needs_rehash,
    password_problems,
    password_verify,
    password_verify_dummy,
)
from auth.tokens import EncodedToken, service_token_encode, user_token_encode

logger = logging.getLogger(__name__)

EMAIL_TAKEN = "This email address is already registered."
REFRESH_REJECTED = "The refresh token is invalid, expired or already used. Log in again."


@dataclass(frozen=True)
class LoginResult:
    user: User
    access_token: EncodedToken
    refresh_token: str
    refresh_token_max_age: int


def _refresh_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _refresh_token_add(*, family_id: int) -> str:
    """Store the hash of a new refresh token in the family; return the token itself."""
    token = secrets.token_urlsafe(32)
    ttl = current_app.config["REFRESH_TOKEN_TTL_SECONDS"]
    db.session.add(
        RefreshToken(
            family_id=family_id,
            token_hash=_refresh_token_hash(token),
            expires_at=utcnow() + timedelta(seconds=ttl),
        )
    )
    return token


def _login_result(*, user: User, refresh_token: str) -> LoginResult:
    return LoginResult(
        user=user,
        access_token=user_token_encode(user_id=user.id, roles=user.roles),
        refresh_token=refresh_token,
        refresh_token_max_age=current_app.config["REFRESH_TOKEN_TTL_SECONDS"],
    )


def _session_start(*, user: User) -> LoginResult:
    """Add a new refresh-token family for `user` to the current transaction."""
    family = RefreshTokenFamily(user_id=user.id)
    db.session.add(family)
    db.session.flush()
    return _login_result(user=user, refresh_token=_refresh_token_add(family_id=family.id))


def _families_revoke(*conditions: object) -> None:
    db.session.execute(
        update(RefreshTokenFamily)
        .where(RefreshTokenFamily.revoked_at.is_(None), *conditions)
        .values(revoked_at=utcnow())
    )


def _user_add(*, email: str, password: str, name: str, role: Role) -> User:
    """Validate and add a user to the current transaction (not committed)."""
    email = normalize_email(email)
    name = name.strip()
    problems = password_problems(password, email=email, name=name)
    if problems:
        raise ValidationFailed(details={"password": problems})
    if selectors.user_find_by_email(email=email) is not None:
        raise Conflict(EMAIL_TAKEN, details={"email": [EMAIL_TAKEN]})
    user = User(email=email, name=name, password_hash=password_hash(password), role=role.value)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as exc:
        # Registered by a concurrent request between the check above and this insert.
        db.session.rollback()
        raise Conflict(EMAIL_TAKEN, details={"email": [EMAIL_TAKEN]}) from exc
    return user


def user_create(*, email: str, password: str, name: str, role: Role) -> User:
    """Create an account without logging it in (commands, seeding); the password must pass."""
    user = _user_add(email=email, password=password, name=name, role=role)
    db.session.commit()
    return user


def user_ensure(*, email: str, password: str, name: str, role: Role) -> tuple[User, bool]:
    """Create the account unless the email is registered; returns it and whether it is new."""
    existing = selectors.user_find_by_email(email=normalize_email(email))
    if existing is not None:
        return existing, False
    return user_create(email=email, password=password, name=name, role=role), True


def user_register(*, email: str, password: str, name: str) -> LoginResult:
    """Create a customer account and log it in; the email must not be registered yet.

    `user.registered` is written to the outbox in the same transaction as the account, so the
    event exists exactly when the account does.
    """
    user = _user_add(email=email, password=password, name=name, role=Role.CUSTOMER)
    event_record(
        type="user.registered",
        data={"user_id": user.id, "email": user.email, "name": user.name},
        at=user.created_at,
    )
    result = _session_start(user=user)
    db.session.commit()
    return result


def user_authenticate(*, email: str, password: str) -> LoginResult:
    """Log in; one answer for a wrong email and a wrong password, locked accounts wait."""
    email = normalize_email(email)
    locked_for = lockout_remaining(email=email)
    if locked_for:
        raise RateLimited(retry_after=locked_for)

    user = selectors.user_find_by_email(email=email)
    if user is None:
        password_verify_dummy(password)
    if user is None or not password_verify(user.password_hash, password):
        login_failure_record(email=email)
        raise InvalidCredentials()

    login_failures_clear(email=email)
    if password_needs_rehash(user.password_hash):
        user.password_hash = password_hash(password)
    result = _session_start(user=user)
    db.session.commit()
    return result


def token_refresh(*, refresh_token: str | None) -> LoginResult:
    """Spend a refresh token for a new access token and its successor in the same family."""
    if not refresh_token:
        raise NotAuthenticated("No refresh token was sent.")
    token = db.session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == _refresh_token_hash(refresh_token))
    )
    if token is None:
        raise TokenInvalid(REFRESH_REJECTED)
    family = db.session.get_one(RefreshTokenFamily, token.family_id)
    now = utcnow()
    if family.revoked_at is not None or token.expires_at <= now:
        raise TokenInvalid(REFRESH_REJECTED)
    if token.used_at is not None:
        # Replay of a spent token: a copy exists somewhere, end the session for every holder.
        _families_revoke(RefreshTokenFamily.id == family.id)
        db.session.commit()
        logger.warning(
            "Spent refresh token presented again; session revoked",
            extra={"user_id": family.user_id, "family_id": family.id},
        )
        raise TokenInvalid(REFRESH_REJECTED)

    # The conditional UPDATE is the single-use guarantee: of concurrent refreshes of this token,
    # the database lets exactly one change the row. A loser was in flight together with the
    # winner (two tabs waking up at once), not replaying a copy, so it fails without ending the
    # session; a request that arrives after the winner committed is a replay (above).
    spent = db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:
        db.session.rollback()
        logger.info("Concurrent refresh lost the race", extra={"family_id": family.id})
        raise TokenInvalid(REFRESH_REJECTED)

    user = db.session.get_one(User, family.user_id)
    result = _login_result(user=user, refresh_token=_refresh_token_add(family_id=family.id))
    db.session.commit()
    return result


def user_logout(*, refresh_token: str | None) -> None:
    """End the session the refresh token belongs to; unknown or missing tokens are ignored."""
    if not refresh_token:
        return
    family_id = db.session.scalar(
        select(RefreshToken.family_id).where(
            RefreshToken.token_hash == _refresh_token_hash(refresh_token)
        )
    )
    if family_id is not None:
        _families_revoke(RefreshTokenFamily.id == family_id)
        db.session.commit()


def user_update(*, user_id: int, name: str) -> User:
    """Change what a user may change about themselves: their name."""
    user = selectors.user_get(user_id=user_id)
    user.name = name.strip()
    db.session.commit()
    return user


def user_password_change(*, user_id: int, current_password: str, new_password: str) -> None:
    """Replace the password after checking the current one; ends every session of the user."""
    user = selectors.user_get(user_id=user_id)
    locked_for = lockout_remaining(email=user.email)
    if locked_for:
        raise RateLimited(retry_after=locked_for)
    if not password_verify(user.password_hash, current_password):
        # A stolen access token must not become a way to guess the password.
        login_failure_record(email=user.email)
        raise ValidationFailed(details={"current_password": ["The current password is wrong."]})

    problems = password_problems(new_password, email=user.email, name=user.name)
    if new_password == current_password:
        problems.insert(0, "Choose a password different from the current one.")
    if problems:
        raise ValidationFailed(details={"new_password": problems})

    user.password_hash = password_hash(new_password)
    _families_revoke(RefreshTokenFamily.user_id == user.id)
    db.session.commit()


def refresh_tokens_purge() -> int:
    """Delete expired refresh tokens and the sessions left without any; returns tokens deleted.

    Spent tokens are kept until they expire so that a replay is still recognised; after that
    a replayed token is merely unknown, which is rejected all the same.
    """
    deleted = db.session.execute(delete(RefreshToken).where(RefreshToken.expires_at < utcnow()))
    db.session.execute(
        delete(RefreshTokenFamily).where(
            ~select(RefreshToken.id).where(RefreshToken.family_id == RefreshTokenFamily.id).exists()
        )
    )
    db.session.commit()
    return deleted.rowcount


def service_token_issue(*, client_id: str, client_secret: str) -> EncodedToken:
    """Client credentials for other services: a short token for aud=shop-internal."""
    expected = current_app.config["SERVICE_CLIENTS"].get(client_id)
    # Compare digests in constant time; an unknown client costs the same as a wrong secret.
    given_digest = hashlib.sha256(client_secret.encode("utf-8")).digest()
    expected_digest = hashlib.sha256(
        (expected if expected is not None else secrets.token_hex(32)).encode("utf-8")
    ).digest()
    if not hmac.compare_digest(given_digest, expected_digest) or expected is None:
        raise InvalidCredentials("The client id or secret is incorrect.")
    return service_token_encode(client_id=client_id)
