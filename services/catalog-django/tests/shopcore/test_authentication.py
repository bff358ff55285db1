"""Forged, expired and misdirected tokens are refused; genuine ones work, across key rotation."""

import hashlib
import hmac
import time

import pytest
from cryptography.hazmat.primitives import serialization
from rest_framework.test import APIClient

from shopcore.testing import SigningKey, unsigned_token

pytestmark = pytest.mark.django_db

ADMIN_URL = "/api/catalog/admin/products/"


def _get(token: str, url: str = ADMIN_URL):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get(url)


def _claims(settings, **overrides) -> dict:
    now = int(time.time())
    return {
        "iss": settings.JWT_ISSUER,
        "aud": "shop",
        "sub": "1",
        "roles": ["admin"],
        "iat": now,
        "exp": now + 300,
        **overrides,
    }


def test_a_genuine_admin_token_works(make_token):
    assert _get(make_token(roles=("admin",))).status_code == 200


def test_alg_none_is_refused(settings, signing_key):
    token = unsigned_token({"alg": "none", "typ": "JWT", "kid": signing_key.kid}, _claims(settings))

    response = _get(token)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_invalid"


def test_hs256_signed_with_the_public_key_is_refused(settings, signing_key):
    public_pem = signing_key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    unsigned = unsigned_token(
        {"alg": "HS256", "typ": "JWT", "kid": signing_key.kid}, _claims(settings)
    )
    signing_input = unsigned.rsplit(".", 1)[0]
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    header, payload, _ = unsigned.split(".")
    token = unsigned_token(
        {"alg": "HS256", "typ": "JWT", "kid": signing_key.kid}, _claims(settings), signature
    )
    assert token.split(".")[:2] == [header, payload]

    assert _get(token).status_code == 401


@pytest.mark.parametrize(
    "overrides",
    [
        {"iss": "https://evil.example"},
        {"aud": "somebody-else"},
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 4000},
        {"sub": None},
        {"roles": "admin"},
    ],
    ids=["wrong issuer", "wrong audience", "expired", "no subject", "roles not a list"],
)
def test_bad_claims_are_refused(make_token, overrides):
    response = _get(make_token(**{"roles": ("admin",), **overrides}))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_invalid"


def test_missing_expiry_is_refused(settings, signing_key):
    import jwt

    claims = _claims(settings)
    del claims["exp"]
    token = jwt.encode(
        claims, signing_key.private_key, algorithm="RS256", headers={"kid": signing_key.kid}
    )

    assert _get(token).status_code == 401


def test_a_key_that_is_not_published_is_refused(make_token):
    stranger = SigningKey.generate()

    assert _get(make_token(roles=("admin",), key=stranger)).status_code == 401


def test_a_known_kid_with_a_signature_from_another_key_is_refused(make_token, signing_key):
    impostor = SigningKey(kid=signing_key.kid, private_key=SigningKey.generate().private_key)

    assert _get(make_token(roles=("admin",), key=impostor)).status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer not.a.jwt", "Bearer ééé"])
def test_malformed_headers_are_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    assert client.get(ADMIN_URL).status_code == 401


def test_other_schemes_are_anonymous(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")

    assert api_client.get(ADMIN_URL).status_code == 401
    assert api_client.get("/api/catalog/categories/").status_code == 200


def test_a_bad_token_on_a_public_read_is_401_not_silently_anonymous(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.jwt")

    assert api_client.get("/api/catalog/products/").status_code == 401


def test_rotated_key_is_fetched_when_its_kid_shows_up(settings, auth_keys, make_token):
    settings.JWKS_REFRESH_COOLDOWN_SECONDS = 0
    assert _get(make_token(roles=("admin",))).status_code == 200
    fetched = auth_keys.requests

    new_key = SigningKey.generate()
    auth_keys.keys = [*auth_keys.keys, new_key.public_jwk()]
    response = _get(make_token(roles=("admin",), key=new_key))

    assert response.status_code == 200
    assert auth_keys.requests == fetched + 1


def test_keys_are_cached_between_requests(auth_keys, make_token):
    token = make_token(roles=("admin",))
    for _ in range(3):
        _get(token)

    assert auth_keys.requests == 1


def test_made_up_kids_do_not_hammer_the_key_endpoint(auth_keys, make_token):
    _get(make_token(roles=("admin",)))
    for _ in range(5):
        assert _get(make_token(roles=("admin",), key=SigningKey.generate())).status_code == 401

    assert auth_keys.requests == 1


def test_unreachable_keys_are_503_not_401(auth_keys, make_token):
    auth_keys.available = False

    response = _get(make_token(roles=("admin",)))

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
