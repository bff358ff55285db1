import pytest

from auth.passwords import (
    password_hash,
    password_needs_rehash,
    password_problems,
    password_verify,
)

EMAIL = "ada.lovelace@example.com"
NAME = "Ada Lovelace"


def _problems(password: str) -> list[str]:
    return password_problems(password, email=EMAIL, name=NAME)


@pytest.mark.parametrize(
    "password",
    ["Harbour-Lantern-42", "correct horse battery staple", "Tr4m-Velvet-Oyster", "x7#Qm!2pZr"],
)
def test_strong_passwords_pass(password):
    assert _problems(password) == []


def test_length_limits():
    assert _problems("Sh0rt!x") == ["Use at least 10 characters."]
    assert _problems("a" * 129) == ["Use at most 128 characters."]


@pytest.mark.parametrize(
    "password", ["password123", "Password2024", "iloveyou1234", "qwertyuiop12", "1234567890"]
)
def test_common_passwords_and_their_variations_fail(password):
    problems = _problems(password)

    assert problems
    assert problems[-1].startswith("This password is too easy to guess.")


@pytest.mark.parametrize("password", ["AdaLovelace99!", "lovelace-in-1843", "Ada.Lovelace#2024"])
def test_passwords_built_on_the_name_or_email_fail(password):
    assert "Do not use your name or email address in your password." in _problems(password)


def test_long_passwords_are_checked_quickly_enough():
    assert _problems("Tr4m-Velvet-Oyster-" * 6) == []


def test_hash_verify_and_rehash(app):
    encoded = password_hash("Harbour-Lantern-42")

    assert encoded.startswith("$argon2id$")
    assert password_verify(encoded, "Harbour-Lantern-42")
    assert not password_verify(encoded, "Harbour-Lantern-43")
    assert not password_verify("not a hash", "Harbour-Lantern-42")
    assert not password_needs_rehash(encoded)
    app.config["ARGON2_TIME_COST"] += 1
    assert password_needs_rehash(encoded)
