from auth.extensions import db
from auth.models import RefreshTokenFamily

NEW_PASSWORD = "Copper-Kettle-Orchard-58"


def _change(client, token, bearer, **body):
    return client.post("/api/auth/password", json=body, headers=bearer(token))


def test_changing_the_password_ends_every_session(client, login, user, password, bearer):
    login("ada@example.com")
    laptop = client.get_cookie("refresh_token", path="/api/auth").value
    token = login("ada@example.com").get_json()["access_token"]

    response = _change(client, token, bearer, current_password=password, new_password=NEW_PASSWORD)

    assert response.status_code == 204
    assert client.get_cookie("refresh_token", path="/api/auth") is None
    families = db.session.query(RefreshTokenFamily).filter_by(user_id=user.id).all()
    assert len(families) == 2
    assert all(family.revoked_at is not None for family in families)
    client.set_cookie("refresh_token", laptop, path="/api/auth")
    assert client.post("/api/auth/refresh").status_code == 401
    assert login("ada@example.com", password).status_code == 401
    assert login("ada@example.com", NEW_PASSWORD).status_code == 200


def test_a_wrong_current_password_changes_nothing(
    client, login, user, password, user_token, bearer
):
    response = _change(
        client,
        user_token,
        bearer,
        current_password="Not-The-Password-1",
        new_password=NEW_PASSWORD,
    )

    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == {
        "current_password": ["The current password is wrong."]
    }
    assert login("ada@example.com", password).status_code == 200


def test_the_new_password_must_pass_the_rules(client, user, password, user_token, bearer):
    weak = _change(
        client, user_token, bearer, current_password=password, new_password="qwertyuiop12"
    )
    same = _change(client, user_token, bearer, current_password=password, new_password=password)

    assert weak.status_code == 400
    assert "new_password" in weak.get_json()["error"]["details"]
    assert same.get_json()["error"]["details"]["new_password"][0] == (
        "Choose a password different from the current one."
    )


def test_changing_the_password_needs_a_user_token(client, service_token, bearer):
    body = {"current_password": "x" * 12, "new_password": NEW_PASSWORD}

    assert client.post("/api/auth/password", json=body).status_code == 401
    assert _change(client, service_token, bearer, **body).status_code == 403


def test_unknown_fields_are_rejected(client, password, user_token, bearer):
    response = _change(
        client,
        user_token,
        bearer,
        current_password=password,
        new_password=NEW_PASSWORD,
        role="admin",
    )

    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == {"role": ["Unknown field."]}
