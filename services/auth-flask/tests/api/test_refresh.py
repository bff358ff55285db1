from datetime import timedelta

from auth.extensions import db
from auth.models import RefreshToken, RefreshTokenFamily, utcnow


def _cookie(client) -> str | None:
    cookie = client.get_cookie("refresh_token", path="/api/auth")
    return cookie.value if cookie else None


def _refresh(client, token: str | None):
    client.delete_cookie("refresh_token", path="/api/auth")
    if token is not None:
        client.set_cookie("refresh_token", token, path="/api/auth")
    return client.post("/api/auth/refresh")


def test_refresh_returns_a_new_access_token_and_rotates_the_cookie(client, login, user, bearer):
    login("ada@example.com")
    first = _cookie(client)

    response = _refresh(client, first)

    assert response.status_code == 200
    body = response.get_json()
    assert body["user"]["id"] == user.id
    second = _cookie(client)
    assert second
    assert second != first
    assert client.get("/api/auth/me", headers=bearer(body["access_token"])).status_code == 200
    assert _refresh(client, second).status_code == 200


def test_refresh_without_a_cookie_is_not_authenticated(client):
    response = client.post("/api/auth/refresh")

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "not_authenticated"


def test_an_unknown_refresh_token_is_rejected(client):
    response = _refresh(client, "made-up-token")

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_invalid"


def test_reusing_a_spent_token_revokes_the_whole_family(client, login, user):
    login("ada@example.com")
    stolen = _cookie(client)
    assert _refresh(client, stolen).status_code == 200
    successor = _cookie(client)

    replay = _refresh(client, stolen)

    assert replay.status_code == 401
    assert replay.get_json()["error"]["code"] == "token_invalid"
    assert _refresh(client, successor).status_code == 401  # the legitimate holder is out too
    family = db.session.query(RefreshTokenFamily).one()
    assert family.revoked_at is not None


def test_revoking_one_family_leaves_other_sessions_alone(client, login, user):
    login("ada@example.com")
    other_device = _cookie(client)
    login("ada@example.com")
    stolen = _cookie(client)
    _refresh(client, stolen)

    _refresh(client, stolen)

    assert _refresh(client, other_device).status_code == 200


def test_an_expired_refresh_token_is_rejected(client, login, user):
    login("ada@example.com")
    token = _cookie(client)
    db.session.query(RefreshToken).update({"expires_at": utcnow() - timedelta(seconds=1)})
    db.session.commit()

    response = _refresh(client, token)

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_invalid"


def test_refresh_reflects_a_changed_role(client, login, user):
    login("ada@example.com")
    user.role = "admin"
    db.session.commit()

    response = _refresh(client, _cookie(client))

    assert response.get_json()["user"]["roles"] == ["admin"]
