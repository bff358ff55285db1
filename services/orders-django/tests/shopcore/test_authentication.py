"""Access tokens: only RS256 tokens from our issuer, for our audience, unexpired, are accepted."""

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _get(token: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get("/api/orders/")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_valid_token_is_accepted(fake_auth):
    assert _get(fake_auth.user_token(1)).status_code == 200


@pytest.mark.parametrize(
    "overrides",
    [
        {"audience": "another-shop"},
        {"iss": "http://evil.test"},
        {"lifetime": -60},
    ],
)
def test_wrong_audience_issuer_or_expired_is_401(fake_auth, overrides):
    token = fake_auth.user_token(1, **overrides)

    response = _get(token)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_invalid"


def test_a_valid_service_token_on_the_public_api_is_403(fake_auth):
    token = fake_auth.token(sub="service:notify", roles=["service"], audience="shop-internal")

    response = _get(token)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_a_token_signed_by_another_key_is_401(fake_auth):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    assert _get(fake_auth.user_token(1, key=stranger)).status_code == 401


def test_alg_none_is_401(fake_auth):
    now = int(time.time())
    claims = {
        "iss": "http://auth.test",
        "aud": "shop",
        "sub": "1",
        "roles": ["admin"],
        "iat": now,
        "exp": now + 600,
    }
    token = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': fake_auth.kid})}.{_b64(claims)}."

    assert _get(token).status_code == 401


def test_hs256_signed_with_the_public_key_is_401(fake_auth):
    public_pem = fake_auth.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    claims = {
        "iss": "http://auth.test",
        "aud": "shop",
        "sub": "1",
        "roles": ["admin"],
        "iat": now,
        "exp": now + 600,
    }
    # PyJWT refuses to sign HS256 with a PEM key, as a forger's library would not.
    header = _b64({"alg": "HS256", "typ": "JWT", "kid": fake_auth.kid})
    signing_input = f"{header}.{_b64(claims)}".encode()
    import hashlib
    import hmac

    signature = (
        base64.urlsafe_b64encode(hmac.new(public_pem, signing_input, hashlib.sha256).digest())
        .rstrip(b"=")
        .decode()
    )

    assert _get(f"{signing_input.decode()}.{signature}").status_code == 401


def test_an_unknown_kid_is_401(fake_auth):
    token = jwt.encode(
        {
            "iss": "http://auth.test",
            "aud": "shop",
            "sub": "1",
            "iat": int(time.time()),
            "exp": int(time.time()) + 60,
        },
        fake_auth.key,
        algorithm="RS256",
        headers={"kid": "not-a-known-key"},
    )

    assert _get(token).status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Basic dXNlcjpwYXNz", "Bearer not.a.jwt", "Token x"])
def test_malformed_authorization_is_401(header):
    client = APIClient()

    response = client.get("/api/orders/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["error"]["code"] in {"token_invalid", "not_authenticated"}


def test_a_user_token_whose_subject_is_not_a_user_id_is_403(fake_auth):
    assert _get(fake_auth.token(sub="service:orders", roles=["customer"])).status_code == 403


def test_auth_unreachable_for_keys_is_503_not_500(fake_auth, settings):
    from testenv import free_port

    settings.AUTH_JWKS_URL = f"http://127.0.0.1:{free_port()}/.well-known/jwks.json"

    response = _get(fake_auth.user_token(1))

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
