"""Password hashing (argon2id) and the rules a new password must meet.

Rules, checked in this order, every failing one reported:
- 10 to 128 characters;
- it must not contain the user's name or the name part of their email address;
- zxcvbn, with its bundled frequency lists (common passwords, names, words, keyboard patterns)
  and the user's own details as extra words, must estimate at least 10^8 guesses (score 3 of 4).
  That rejects common passwords and their usual variations ("Password2024", "iloveyou1234")
  while allowing long passphrases of ordinary words.
"""

import re

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 128
MIN_ZXCVBN_SCORE = 3
# Parts of a name or email shorter than this are too common to forbid ("al", "bob").
_MIN_PERSONAL_PART = 4
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def password_hasher() -> PasswordHasher:
    """The argon2id hasher with this app's cost parameters."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST_KIB"],
        parallelism=config["ARGON2_PARALLELISM"],
        type=Type.ID,
    )


def password_hash(password: str) -> str:
    return password_hasher().hash(password)


def password_verify(encoded: str, password: str) -> bool:
    try:
        return password_hasher().verify(encoded, password)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(encoded: str) -> bool:
    """True when the hash was made with other parameters than the app's current ones."""
    return password_hasher().check_needs_rehash(encoded)


_dummy_hashes: dict[tuple[int, int, int], str] = {}


def password_verify_dummy(password: str) -> None:
    """Spend the time of a real verification, so an unknown email is not answered faster."""
    hasher = password_hasher()
    params = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if params not in _dummy_hashes:
        _dummy_hashes[params] = hasher.hash("an unguessable placeholder, never a real password")
    password_verify(_dummy_hashes[params], password)


def _personal_parts(email: str, name: str) -> set[str]:
    local_part = email.split("@", 1)[0].lower()
    parts = {local_part, _SEPARATORS.sub("", local_part), _SEPARATORS.sub("", name.lower())}
    parts.update(_SEPARATORS.split(local_part))
    parts.update(_SEPARATORS.split(name.lower()))
    return {part for part in parts if len(part) >= _MIN_PERSONAL_PART}


def password_problems(password: str, *, email: str, name: str) -> list[str]:
    """Everything wrong with `password` for this user; empty when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return [f"Use at least {MIN_LENGTH} characters."]
    if len(password) > MAX_LENGTH:
        return [f"Use at most {MAX_LENGTH} characters."]

    problems = []
    flattened = _SEPARATORS.sub("", password.lower())
    personal = _personal_parts(email, name)
    if any(part in password.lower() or part in flattened for part in personal):
        problems.append("Do not use your name or email address in your password.")

    estimate = zxcvbn(password, user_inputs=[email, name, *personal], max_length=MAX_LENGTH)
    if estimate["score"] < MIN_ZXCVBN_SCORE:
        warning = estimate["feedback"]["warning"]
        problems.append("This password is too easy to guess." + (f" {warning}" if warning else ""))
    return problems
