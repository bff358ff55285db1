import pytest
from argon2 import extract_parameters

from auth.extensions import db
from auth.models import RefreshTokenFamily


def test_login_returns_an_access_token_and_sets_the_refresh_cookie(client, login, user, bearer):
    response = login("ada@example.com")

    assert response.status_code == 200
    body = response.get_json()
    assert body["user"]["id"] == user.id
    assert body["token_type"] == "Bearer"
    assert client.get_cookie("refresh_token", path="/api/auth") is not None
    assert client.get("/api/auth/me", headers=bearer(body["access_token"])).status_code == 200


def test_email_is_matched_case_insensitively(login, user):
    assert login("  ADA@example.com").status_code == 200


def test_each_login_starts_its_own_session(login, user):
    login("ada@example.com")
    login("ada@example.com")

    assert db.session.query(RefreshTokenFamily).filter_by(user_id=user.id).count() == 2


@pytest.mark.parametrize(
    ("email", "password"),
    [("ada@example.com", "Wrong-Password-123"), ("nobody@example.com", "Quiet-Harbour-Lantern-93")],
    ids=["wrong password", "unknown email"],
)
def test_wrong_email_and_wrong_password_get_the_same_answer(client, login, user, email, password):
    response = login(email, password)

    assert response.status_code == 401
    assert response.get_json() == {
        "error": {
            "code": "invalid_credentials",
            "message": "The email address or password is incorrect.",
            "details": {},
        }
    }
    assert client.get_cookie("refresh_token", path="/api/auth") is None


def test_missing_fields_are_a_validation_error(client):
    response = client.post("/api/auth/login", json={"email": "ada@example.com"})

    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == {
        "password": ["Missing data for required field."]
    }


def test_login_rehashes_a_password_hashed_with_other_parameters(make_app, password):
    weaker = make_app()
    with weaker.app_context():
        weaker.config["ARGON2_MEMORY_COST_KIB"] = 512
        from auth.models import Role
        from auth.services import user_create

        user = user_create(
            email="old@example.com", password=password, name="Old Hash", role=Role.CUSTOMER
        )
        old_hash = user.password_hash
    assert extract_parameters(old_hash).memory_cost == 512

    current = make_app()
    response = current.test_client().post(
        "/api/auth/login", json={"email": "old@example.com", "password": password}
    )

    assert response.status_code == 200
    with current.app_context():
        from auth.models import User

        new_hash = db.session.get(User, user.id).password_hash
    assert new_hash != old_hash
    assert extract_parameters(new_hash).memory_cost == current.config["ARGON2_MEMORY_COST_KIB"]
