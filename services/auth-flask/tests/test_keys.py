import base64
import os
import stat

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from auth.keys import (
    KeyFileError,
    KeyRing,
    SigningKey,
    generate_private_key,
    jwk_thumbprint,
    load_private_key,
    private_key_pem,
    write_key_file,
)

# The example key and thumbprint of RFC 7638, section 3.1.
RFC7638_N = (
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPe"
    "bWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY3"
    "68QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM"
    "4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
)
RFC7638_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def _uint(value: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


def test_kid_is_the_rfc7638_thumbprint():
    public_key = rsa.RSAPublicNumbers(e=65537, n=_uint(RFC7638_N)).public_key()

    assert jwk_thumbprint(public_key) == RFC7638_THUMBPRINT


def test_public_jwk_carries_only_public_members():
    key = SigningKey.from_private_key(generate_private_key())

    jwk = key.public_jwk()

    assert set(jwk) == {"kty", "use", "alg", "kid", "n", "e"}
    assert jwk["kid"] == key.kid
    assert jwt.PyJWK(jwk).key.public_numbers() == key.public_key.public_numbers()


def test_key_files_are_written_owner_only(tmp_path):
    path = tmp_path / "nested" / "key.pem"

    write_key_file(path, private_key_pem(generate_private_key()))

    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_private_key(path).key_size == 2048


def test_short_keys_and_other_key_types_are_refused(tmp_path):
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 (on purpose)
    short = tmp_path / "short.pem"
    short.write_bytes(private_key_pem(weak))
    elliptic = tmp_path / "ec.pem"
    elliptic.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a key")

    for path, problem in (
        (short, "1024-bit"),
        (elliptic, "not an RSA key"),
        (garbage, "not an unencrypted PEM"),
        (tmp_path / "missing.pem", "cannot read"),
    ):
        with pytest.raises(KeyFileError, match=problem):
            load_private_key(path)


def test_key_ring_picks_up_a_replaced_key_file_without_restart(tmp_path):
    current, previous = tmp_path / "current.pem", tmp_path / "previous.pem"
    first, second = generate_private_key(), generate_private_key()
    write_key_file(current, private_key_pem(first))
    ring = KeyRing(current_path=str(current), previous_path=str(previous))
    assert ring.current().kid == jwk_thumbprint(first.public_key())
    assert [key["kid"] for key in ring.jwks()["keys"]] == [jwk_thumbprint(first.public_key())]

    write_key_file(previous, private_key_pem(first))
    write_key_file(current, private_key_pem(second))

    assert ring.current().kid == jwk_thumbprint(second.public_key())
    assert [key["kid"] for key in ring.jwks()["keys"]] == [
        jwk_thumbprint(second.public_key()),
        jwk_thumbprint(first.public_key()),
    ]
    assert ring.find(jwk_thumbprint(first.public_key())) is not None


def test_a_broken_replacement_keeps_the_loaded_keys(tmp_path):
    current = tmp_path / "current.pem"
    key = generate_private_key()
    write_key_file(current, private_key_pem(key))
    ring = KeyRing(current_path=str(current), previous_path=None)
    ring.load()

    current.write_text("half-written")

    assert ring.current().kid == jwk_thumbprint(key.public_key())


def test_a_missing_current_key_fails_on_load(tmp_path):
    ring = KeyRing(current_path=str(tmp_path / "absent.pem"), previous_path=None)

    with pytest.raises(KeyFileError):
        ring.load()
