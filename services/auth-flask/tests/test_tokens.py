"""Forged and broken access tokens, presented to GET /api/auth/me: all 401 token_invalid."""

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from auth.extensions import signing_keys
from auth.keys import SigningKey, generate_private_key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unsigned(header: dict, claims: dict) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


@pytest.fixture
def claims(app, user):
    now = int(time.time())
    return {
        "iss": app.config["JWT_ISSUER"],
        "aud": "shop",
        "sub": str(user.id),
        "iat": now,
        "exp": now + 600,
        "jti": "test-token-id",
        "roles": ["customer"],
    }


@pytest.fixture
def key(app) -> SigningKey:
    return signing_keys.ring.current()


@pytest.fixture
def me(client, bearer):
    def get(token: str):
        return client.get("/api/auth/me", headers=bearer(token))

    return get


def _sign(claims: dict, key: SigningKey, *, algorithm: str = "RS256", **header) -> str:
    return jwt.encode(
        claims, key.private_key, algorithm=algorithm, headers={"kid": key.kid, **header}
    )


def _assert_rejected(response) -> None:
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_invalid"
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_a_genuine_token_is_accepted(me, claims, key):
    assert me(_sign(claims, key)).status_code == 200


def test_another_rsa_algorithm_is_rejected(me, claims, key):
    _assert_rejected(me(_sign(claims, key, algorithm="RS512")))


def test_alg_none_is_rejected(me, claims, key):
    token = _unsigned({"alg": "none", "typ": "JWT", "kid": key.kid}, claims) + "."

    _assert_rejected(me(token))


def test_hs256_signed_with_the_public_key_is_rejected(me, claims, key):
    public_pem = key.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = _unsigned({"alg": "HS256", "typ": "JWT", "kid": key.kid}, claims)
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()

    _assert_rejected(me(f"{signing_input}.{_b64(signature)}"))


def test_wrong_issuer_is_rejected(me, claims, key):
    _assert_rejected(me(_sign({**claims, "iss": "https://evil.example"}, key)))


def test_wrong_audience_is_rejected(me, claims, key):
    _assert_rejected(me(_sign({**claims, "aud": "another-shop"}, key)))


def test_expired_token_is_rejected(me, claims, key):
    past = int(time.time()) - 3600
    response = me(_sign({**claims, "iat": past, "exp": past + 900}, key))

    _assert_rejected(response)
    assert response.get_json()["error"]["message"] == "The token has expired."


def test_unknown_kid_is_rejected(me, claims):
    stranger = SigningKey.from_private_key(generate_private_key())

    _assert_rejected(me(_sign(claims, stranger)))


def test_our_kid_on_a_foreign_signature_is_rejected(me, claims, key):
    stranger = SigningKey.from_private_key(generate_private_key())
    token = jwt.encode(claims, stranger.private_key, algorithm="RS256", headers={"kid": key.kid})

    _assert_rejected(me(token))


def test_a_key_embedded_in_the_header_is_ignored(me, claims, key):
    stranger = SigningKey.from_private_key(generate_private_key())
    token = jwt.encode(
        claims,
        stranger.private_key,
        algorithm="RS256",
        headers={"kid": stranger.kid, "jwk": stranger.public_jwk()},
    )

    _assert_rejected(me(token))


def test_tampered_payload_is_rejected(me, claims, key):
    header, _payload, signature = _sign(claims, key).split(".")
    elevated = _b64(json.dumps({**claims, "roles": ["admin"]}).encode())

    _assert_rejected(me(f"{header}.{elevated}.{signature}"))


@pytest.mark.parametrize("missing", ["exp", "iat", "jti", "sub", "roles", "iss", "aud"])
def test_a_token_missing_a_claim_is_rejected(me, claims, key, missing):
    del claims[missing]

    _assert_rejected(me(_sign(claims, key)))


def test_a_token_without_kid_is_rejected(me, claims, key):
    token = jwt.encode(claims, key.private_key, algorithm="RS256")

    _assert_rejected(me(token))


@pytest.mark.parametrize("garbage", ["abc", "a.b.c", "....", "eyJhbGciOiJSUzI1NiJ9..x"])
def test_garbage_is_rejected(me, garbage):
    _assert_rejected(me(garbage))
