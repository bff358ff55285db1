import jwt
import pytest

from auth.extensions import signing_keys


def test_service_token_for_valid_client_credentials(client, app, service_credentials):
    response = client.post("/internal/service-token", json=service_credentials)

    assert response.status_code == 200
    body = response.get_json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 300
    key = signing_keys.ring.current()
    claims = jwt.decode(
        body["access_token"],
        key.public_key,
        algorithms=["RS256"],
        audience="shop-internal",
        issuer=app.config["JWT_ISSUER"],
    )
    assert claims["sub"] == "service:orders"
    assert claims["roles"] == ["service"]
    assert claims["exp"] - claims["iat"] == 300
    assert jwt.get_unverified_header(body["access_token"])["kid"] == key.kid


@pytest.mark.parametrize(
    "credentials",
    [
        {"client_id": "orders", "client_secret": "orders-secret-0123456789abcdeX"},
        {"client_id": "stranger", "client_secret": "orders-secret-0123456789abcdef"},
        {"client_id": "catalog", "client_secret": "orders-secret-0123456789abcdef"},
    ],
    ids=["wrong secret", "unknown client", "another client's secret"],
)
def test_wrong_client_credentials_are_rejected(client, credentials):
    response = client.post("/internal/service-token", json=credentials)

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"


def test_service_token_request_is_validated(client):
    response = client.post("/internal/service-token", json={"client_id": "orders", "extra": 1})

    assert response.status_code == 400
    assert set(response.get_json()["error"]["details"]) == {"client_secret", "extra"}


def test_user_lookup_with_a_service_token(client, user, service_token, bearer):
    response = client.get(f"/internal/users/{user.id}", headers=bearer(service_token))

    assert response.status_code == 200
    assert response.get_json()["email"] == "ada@example.com"
    assert response.get_json()["roles"] == ["customer"]


def test_user_lookup_is_not_for_anonymous_callers(client, user):
    response = client.get(f"/internal/users/{user.id}")

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "not_authenticated"


def test_user_lookup_is_not_for_user_tokens(client, make_user, user, bearer, login):
    admin = make_user(email="root@example.com", role="admin")
    for account in (user, admin):
        token = login(account.email).get_json()["access_token"]

        response = client.get(f"/internal/users/{user.id}", headers=bearer(token))

        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "permission_denied"


def test_user_lookup_of_an_unknown_id(client, service_token, bearer):
    response = client.get("/internal/users/999999", headers=bearer(service_token))

    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_user_lookup_needs_a_numeric_id(client, service_token, bearer):
    assert client.get("/internal/users/abc", headers=bearer(service_token)).status_code == 404
