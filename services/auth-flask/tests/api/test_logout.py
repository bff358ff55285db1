from auth.extensions import db
from auth.models import RefreshTokenFamily


def test_logout_revokes_the_session_and_clears_the_cookie(client, login, user):
    login("ada@example.com")
    token = client.get_cookie("refresh_token", path="/api/auth").value

    response = client.post("/api/auth/logout")

    assert response.status_code == 204
    assert response.data == b""
    cleared = response.headers["Set-Cookie"]
    assert cleared.startswith("refresh_token=;")
    assert "Max-Age=0" in cleared
    assert "Path=/api/auth" in cleared
    assert client.get_cookie("refresh_token", path="/api/auth") is None
    client.set_cookie("refresh_token", token, path="/api/auth")
    assert client.post("/api/auth/refresh").status_code == 401
    assert db.session.query(RefreshTokenFamily).one().revoked_at is not None


def test_logout_without_a_session_still_succeeds(client):
    assert client.post("/api/auth/logout").status_code == 204


def test_logout_ends_only_its_own_session(client, login, user):
    login("ada@example.com")
    other_device = client.get_cookie("refresh_token", path="/api/auth").value
    login("ada@example.com")

    client.post("/api/auth/logout")

    client.set_cookie("refresh_token", other_device, path="/api/auth")
    assert client.post("/api/auth/refresh").status_code == 200
