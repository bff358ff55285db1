"""Every error, whoever raises it, answers in the one JSON shape."""

import json
import logging

import pytest

from auth.extensions import db
from auth.models import User


def _error(response) -> dict:
    assert response.is_json, response.data
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


@pytest.mark.parametrize("path", ["/nope", "/api/auth/nope", "/internal/nope", "/api/auth/me/x"])
def test_unknown_urls_are_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_wrong_method_is_json_405_with_allow(client):
    response = client.delete("/api/auth/login")

    assert response.status_code == 405
    assert _error(response)["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_a_body_over_the_limit_is_json_413_and_changes_nothing(client, app):
    body = json.dumps({"email": "big@example.com", "password": "x" * 20_000, "name": "Big"})

    response = client.post("/api/auth/register", data=body, content_type="application/json")

    assert response.status_code == 413
    assert _error(response)["code"] == "payload_too_large"
    assert db.session.query(User).count() == 0


def test_non_json_content_type_is_json_415(client):
    response = client.post("/api/auth/login", data="email=a", content_type="text/plain")

    assert response.status_code == 415
    assert _error(response)["code"] == "unsupported_media_type"


def test_invalid_json_is_400_invalid_json(client):
    response = client.post("/api/auth/login", data="{nope", content_type="application/json")

    assert response.status_code == 400
    assert _error(response)["code"] == "invalid_json"


def test_a_bug_is_a_500_without_internals_and_logged_with_the_request_id(make_app, caplog):
    app = make_app()

    @app.get("/api/auth/explode")
    def explode():
        raise RuntimeError("secret internals")

    with caplog.at_level(logging.ERROR, logger="auth.errors"):
        response = app.test_client().get(
            "/api/auth/explode", headers={"X-Request-ID": "bug-report-7"}
        )

    assert response.status_code == 500
    error = _error(response)
    assert error["code"] == "internal_error"
    assert "secret" not in response.get_data(as_text=True)
    assert response.headers["X-Request-ID"] == "bug-report-7"
    (record,) = [r for r in caplog.records if r.name == "auth.errors"]
    assert record.exc_info is not None
    assert record.getMessage() == "Unhandled exception"


def test_database_down_is_503_service_unavailable(stopped_postgres_app):
    response = stopped_postgres_app.test_client().post(
        "/api/auth/login", json={"email": "ada@example.com", "password": "whatever-it-is"}
    )

    assert response.status_code == 503
    assert _error(response)["code"] == "service_unavailable"


def test_redis_down_is_503_service_unavailable(make_app, unused_redis_url):
    client = make_app(REDIS_URL=unused_redis_url).test_client()

    response = client.post(
        "/api/auth/login", json={"email": "ada@example.com", "password": "whatever-it-is"}
    )

    assert response.status_code == 503
    assert _error(response)["code"] == "service_unavailable"
