"""Only a user access token that auth issued opens the inbox; everything else is a 401."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

URL = "/api/notifications/unread-count/"


def test_no_token_is_not_authenticated(client):
    response = client.get(URL)

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "not_authenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_valid_user_token_is_accepted(client, peers):
    response = client.get(URL, headers={"Authorization": f"Bearer {peers.user_token(1)}"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "options",
    [
        {"audience": "shop-internal"},  # a service token is no user token
        {"issuer": "https://evil.test"},
        {"expires_in": -60},
        {"kid": "unknown-key"},
    ],
    ids=["service-audience", "wrong-issuer", "expired", "unknown-kid"],
)
def test_tokens_we_did_not_issue_for_this_are_refused(client, peers, options):
    token = peers.user_token(1, **options)

    response = client.get(URL, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_invalid"


def test_a_token_signed_by_another_key_is_refused(client, peers):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = peers.user_token(1, key=stranger)

    response = client.get(URL, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hand_made_token(header: dict, claims: dict, sign) -> str:
    """A JWT assembled by hand: PyJWT itself refuses to make these forgeries."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{_b64(sign(signing_input.encode()))}"


def _claims() -> dict:
    now = int(time.time())
    return {"iss": "https://auth.test", "aud": "shop", "sub": "1", "iat": now, "exp": now + 300}


def test_alg_none_is_refused(client, peers):
    token = _hand_made_token({"alg": "none", "kid": peers.kid}, _claims(), lambda _: b"")

    response = client.get(URL, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401


def test_hs256_signed_with_the_public_key_is_refused(client, peers):
    public_pem = peers.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    token = _hand_made_token(
        {"alg": "HS256", "typ": "JWT", "kid": peers.kid},
        _claims(),
        lambda data: hmac.new(public_pem, data, hashlib.sha256).digest(),
    )

    response = client.get(URL, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_invalid"


def test_a_garbage_token_is_refused(client):
    response = client.get(URL, headers={"Authorization": "Bearer not.a.jwt"})

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_invalid"


def test_keys_that_cannot_be_fetched_make_a_503(make_app, peers):
    app = make_app(AUTH_JWKS_URL="http://127.0.0.1:9/.well-known/jwks.json")

    response = app.test_client().get(
        URL, headers={"Authorization": f"Bearer {peers.user_token(1)}"}
    )

    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "service_unavailable"
