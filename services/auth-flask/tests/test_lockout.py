"""Per-account lockout: escalating, temporary, and blind to whether the account exists."""

import time

import pytest


def _app(make_app, maximum: str = "2"):
    # Short lockouts so a test can watch them expire; the per-IP limit is out of the way.
    return make_app(
        LOGIN_LOCKOUT_THRESHOLD="3",
        LOGIN_LOCKOUT_BASE_SECONDS="1",
        LOGIN_LOCKOUT_MAX_SECONDS=maximum,
        RATE_LIMIT_LOGIN="1000 per minute",
    )


@pytest.fixture
def client(make_app):
    return _app(make_app).test_client()


WRONG_PASSWORD = "Wrong-Password-000"


def _login(client, email="ada@example.com", password=WRONG_PASSWORD):
    return client.post("/api/auth/login", json={"email": email, "password": password})


def _fail(client, times, email="ada@example.com") -> None:
    for _ in range(times):
        assert _login(client, email).status_code == 401


def _locked_for(response) -> int:
    assert response.status_code == 429
    assert response.get_json()["error"] == {
        "code": "rate_limited",
        "message": "Too many attempts. Try again later.",
        "details": {},
    }
    return int(response.headers["Retry-After"])


def test_a_lockout_refuses_even_the_right_password_and_then_expires(client, user, password):
    _fail(client, 3)

    assert _locked_for(_login(client, password=password)) == 1
    time.sleep(1.1)
    assert _login(client, password=password).status_code == 200


def test_each_further_lockout_doubles(client, user):
    _fail(client, 3)
    assert _locked_for(_login(client)) == 1
    time.sleep(1.1)

    _fail(client, 3)

    assert _locked_for(_login(client)) == 2


def test_lockouts_are_capped(make_app, user):
    client = _app(make_app, maximum="1").test_client()
    _fail(client, 3)
    time.sleep(1.1)

    _fail(client, 3)

    assert _locked_for(_login(client)) == 1


def test_a_successful_login_resets_the_count(client, user, password):
    _fail(client, 2)
    assert _login(client, password=password).status_code == 200

    _fail(client, 2)

    assert _login(client, password=password).status_code == 200


def test_unknown_emails_lock_exactly_like_real_ones(client, user):
    _fail(client, 3, email="ghost@example.com")
    _fail(client, 3, email="ada@example.com")

    assert _locked_for(_login(client, "ghost@example.com")) == _locked_for(_login(client))


def test_lockout_is_per_account(client, user, make_user, password):
    make_user(email="grace@example.com")
    _fail(client, 3)

    assert _login(client, "grace@example.com", password).status_code == 200


def test_wrong_current_passwords_count_towards_the_lockout(client, user, password, bearer):
    token = _login(client, password=password).get_json()["access_token"]
    body = {"current_password": "Wrong-Password-000", "new_password": "Copper-Kettle-Orchard-58"}
    for _ in range(3):
        assert (
            client.post("/api/auth/password", json=body, headers=bearer(token)).status_code == 400
        )

    response = client.post(
        "/api/auth/password",
        json={**body, "current_password": password},
        headers=bearer(token),
    )

    assert _locked_for(response) == 1
    assert _locked_for(_login(client, password=password)) == 1
