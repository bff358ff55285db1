"""Per-IP limits on login, registration and service tokens (Flask-Limiter on Redis)."""

import time

import pytest

WRONG = {"email": "nobody@example.com", "password": "Wrong-Password-000"}


def _login(client, **kwargs):
    return client.post("/api/auth/login", json=WRONG, **kwargs)


def _assert_rate_limited(response) -> int:
    assert response.status_code == 429
    assert response.get_json()["error"] == {
        "code": "rate_limited",
        "message": "Too many attempts. Try again later.",
        "details": {},
    }
    retry_after = int(response.headers["Retry-After"])
    assert retry_after >= 1
    return retry_after


def test_login_is_limited_per_ip_and_the_limit_expires(make_app):
    client = make_app(RATE_LIMIT_LOGIN="3 per 2 seconds").test_client()
    assert [_login(client).status_code for _ in range(3)] == [401, 401, 401]

    retry_after = _assert_rate_limited(_login(client))

    assert retry_after <= 3  # the 2-second window, rounded up to whole seconds
    time.sleep(retry_after)
    assert _login(client).status_code == 401


def test_registration_is_limited_per_ip(make_app):
    client = make_app(RATE_LIMIT_REGISTER="2 per minute").test_client()
    for _ in range(2):
        assert client.post("/api/auth/register", json={}).status_code == 400

    _assert_rate_limited(client.post("/api/auth/register", json={}))


def test_service_token_requests_are_limited_per_ip(make_app):
    client = make_app(RATE_LIMIT_SERVICE_TOKEN="1 per minute").test_client()
    body = {"client_id": "orders", "client_secret": "wrong-secret-000000"}
    assert client.post("/internal/service-token", json=body).status_code == 401

    _assert_rate_limited(client.post("/internal/service-token", json=body))


def test_limits_are_counted_per_endpoint(make_app):
    client = make_app(RATE_LIMIT_LOGIN="1 per minute").test_client()
    _login(client)
    _assert_rate_limited(_login(client))

    assert client.post("/api/auth/register", json={}).status_code == 400


def test_behind_a_trusted_proxy_each_client_ip_has_its_own_budget(make_app):
    client = make_app(RATE_LIMIT_LOGIN="1 per minute", TRUSTED_PROXY_COUNT="1").test_client()
    first = {"X-Forwarded-For": "203.0.113.10"}
    assert _login(client, headers=first).status_code == 401
    _assert_rate_limited(_login(client, headers=first))

    assert _login(client, headers={"X-Forwarded-For": "203.0.113.11"}).status_code == 401


@pytest.mark.parametrize("spoofed", ["198.51.100.1", "198.51.100.2"])
def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(make_app, spoofed):
    client = make_app(RATE_LIMIT_LOGIN="1 per minute", TRUSTED_PROXY_COUNT="0").test_client()
    assert _login(client).status_code == 401

    _assert_rate_limited(_login(client, headers={"X-Forwarded-For": spoofed}))


def test_only_the_hop_our_proxy_added_counts(make_app):
    # The client put a fake address first; the gateway appended the address it saw.
    client = make_app(RATE_LIMIT_LOGIN="1 per minute", TRUSTED_PROXY_COUNT="1").test_client()
    assert _login(client, headers={"X-Forwarded-For": "10.0.0.1, 203.0.113.20"}).status_code == 401

    _assert_rate_limited(_login(client, headers={"X-Forwarded-For": "10.0.0.2, 203.0.113.20"}))
