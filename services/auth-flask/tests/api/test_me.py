from auth.extensions import db
from auth.models import User


def test_me_returns_the_user_of_the_token(client, user, user_token, bearer):
    response = client.get("/api/auth/me", headers=bearer(user_token))

    assert response.status_code == 200
    body = response.get_json()
    assert body == {
        "id": user.id,
        "email": "ada@example.com",
        "name": "Ada Lovelace",
        "roles": ["customer"],
        "created_at": user.created_at.isoformat(),
    }
    assert body["created_at"].endswith("+00:00")


def test_me_without_a_token_is_not_authenticated(client):
    response = client.get("/api/auth/me")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.get_json()["error"]["code"] == "not_authenticated"


def test_other_authorization_schemes_are_not_authenticated(client):
    response = client.get("/api/auth/me", headers={"Authorization": "Basic YWRhOnNlY3JldA=="})

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "not_authenticated"


def test_a_service_token_is_not_a_user(client, service_token, bearer):
    response = client.get("/api/auth/me", headers=bearer(service_token))

    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "permission_denied"


def test_patch_me_changes_the_name(client, user, user_token, bearer):
    response = client.patch(
        "/api/auth/me", json={"name": "  Augusta Ada King "}, headers=bearer(user_token)
    )

    assert response.status_code == 200
    assert response.get_json()["name"] == "Augusta Ada King"
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Augusta Ada King"


def test_patch_me_cannot_change_email_or_roles(client, user, user_token, bearer):
    response = client.patch(
        "/api/auth/me",
        json={"name": "Mallory", "email": "mallory@example.com", "roles": ["admin"]},
        headers=bearer(user_token),
    )

    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == {
        "email": ["Unknown field."],
        "roles": ["Unknown field."],
    }
    db.session.expire_all()
    unchanged = db.session.get(User, user.id)
    assert (unchanged.name, unchanged.email, unchanged.role) == (
        "Ada Lovelace",
        "ada@example.com",
        "customer",
    )


def test_patch_me_validates_the_name(client, user_token, bearer):
    too_long = client.patch("/api/auth/me", json={"name": "x" * 101}, headers=bearer(user_token))
    wrong_type = client.patch("/api/auth/me", json={"name": 7}, headers=bearer(user_token))

    assert too_long.status_code == 400
    assert wrong_type.status_code == 400
    assert set(wrong_type.get_json()["error"]["details"]) == {"name"}


def test_patch_me_without_a_token_is_not_authenticated(client):
    assert client.patch("/api/auth/me", json={"name": "Eve"}).status_code == 401
