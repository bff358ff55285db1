"""Bearer tokens: only RS256 tokens from our issuer, for our audiences, unexpired, get through.

Forged, expired and misdirected tokens are a 401; a JWKS that cannot be fetched is a 503, so a
client retries instead of logging its user out.
"""

import hashlib
import hmac
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from rest_framework.exceptions import AuthenticationFailed

from shopcore.authentication import JwtUser, user_from_claims
from shopcore.testing import SigningKey, unsigned_token
from tests.conftest import claims_for, client_with

pytestmark = pytest.mark.django_db

ME = "/api/things/me/"


def _get(token: str, url: str = ME):
    return client_with(token).get(url)


def _assert_refused(response) -> None:
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_invalid"


def test_a_genuine_token_describes_its_caller(make_token):
    response = _get(make_token(sub="7", roles=["customer", "admin"], jti="token-1"))

    assert response.status_code == 200
    assert response.json() == {
        "id": "7",
        "roles": ["admin", "customer"],
        "audiences": ["shop"],
        "token_id": "token-1",
    }


def test_alg_none_is_refused(settings, signing_key):
    header = {"alg": "none", "typ": "JWT", "kid": signing_key.kid}

    _assert_refused(_get(unsigned_token(header, claims_for(settings))))


def test_hs256_signed_with_the_public_key_is_refused(settings, signing_key):
    # The classic confusion: a verifier that lets the token pick the algorithm would check
    # this HMAC with the (public) RSA key as the secret, and accept it.
    public_pem = signing_key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": signing_key.kid}
    signing_input = unsigned_token(header, claims_for(settings)).rsplit(".", 1)[0]
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()

    _assert_refused(_get(unsigned_token(header, claims_for(settings), signature)))


@pytest.mark.parametrize(
    "overrides",
    [
        {"iss": "https://evil.example"},
        {"aud": "somebody-else"},
        {"exp": 1_000_000_000, "iat": 999_999_000},
        {"sub": None},
        {"sub": ""},
        {"roles": "admin"},
        {"roles": ["admin", 7]},
    ],
    ids=[
        "wrong issuer",
        "wrong audience",
        "expired",
        "no subject",
        "empty subject",
        "roles not a list",
        "a role not a string",
    ],
)
def test_bad_claims_are_refused(make_token, overrides):
    _assert_refused(_get(make_token(**overrides)))


def test_an_expired_token_says_so(make_token):
    response = _get(make_token(exp=1_000_000_000, iat=999_999_000))

    assert response.json()["error"]["message"] == "The token has expired."


def test_expiry_within_the_leeway_still_passes(make_token, settings):
    just_expired = int(time.time()) - settings.JWT_LEEWAY_SECONDS + 3

    assert _get(make_token(exp=just_expired)).status_code == 200


@pytest.mark.parametrize("claim", ["exp", "iat", "iss", "aud", "sub"])
def test_a_missing_required_claim_is_refused(settings, signing_key, claim):
    claims = claims_for(settings)
    del claims[claim]

    _assert_refused(_get(signing_key.sign(claims)))


def test_a_key_that_is_not_published_is_refused(make_token):
    _assert_refused(_get(make_token(key=SigningKey.generate())))


def test_a_known_kid_with_a_signature_from_another_key_is_refused(make_token, signing_key):
    impostor = SigningKey(kid=signing_key.kid, private_key=SigningKey.generate().private_key)

    _assert_refused(_get(make_token(key=impostor)))


def test_a_token_without_a_kid_is_refused(settings, signing_key):
    token = jwt.encode(claims_for(settings), signing_key.private_key, algorithm="RS256")

    _assert_refused(_get(token))


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer not.a.jwt", "Bearer ééé"])
def test_malformed_bearer_headers_are_401(api_client, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)

    response = api_client.get(ME)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_invalid"


def test_other_schemes_are_anonymous(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")

    assert api_client.get(ME).status_code == 401
    assert api_client.get("/api/things/articles/").status_code == 200


def test_a_bad_token_on_a_public_read_is_401_not_silently_anonymous(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.jwt")

    _assert_refused(api_client.get("/api/things/articles/"))


def test_a_rotated_key_is_fetched_when_its_kid_shows_up(settings, auth_keys, make_token):
    settings.JWKS_REFRESH_COOLDOWN_SECONDS = 0
    assert _get(make_token()).status_code == 200
    fetched = auth_keys.requests

    new_key = SigningKey.generate()
    auth_keys.keys = [*auth_keys.keys, new_key.public_jwk()]

    assert _get(make_token(key=new_key)).status_code == 200
    assert auth_keys.requests == fetched + 1


def test_keys_are_cached_between_requests(auth_keys, make_token):
    token = make_token()
    for _ in range(3):
        assert _get(token).status_code == 200

    assert auth_keys.requests == 1


def test_made_up_kids_do_not_hammer_the_key_endpoint(auth_keys, make_token):
    _get(make_token())
    for _ in range(5):
        _assert_refused(_get(make_token(key=SigningKey.generate())))

    assert auth_keys.requests == 1


def test_unreachable_keys_are_503_not_401(auth_keys, make_token):
    auth_keys.available = False

    response = _get(make_token())

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"


def test_a_user_has_the_roles_and_audiences_of_its_token():
    user = user_from_claims({"sub": "9", "roles": ["admin"], "aud": ["shop", "shop-internal"]})

    assert isinstance(user, JwtUser)
    assert (user.is_authenticated, user.is_anonymous, user.is_staff) == (True, False, False)
    assert user.has_role("admin")
    assert not user.has_role("service")
    assert user.audiences == frozenset({"shop", "shop-internal"})
    assert str(user) == "9"


def test_claims_without_a_subject_make_no_user():
    with pytest.raises(AuthenticationFailed):
        user_from_claims({"roles": [], "aud": "shop"})
