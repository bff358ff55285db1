"""Cross-cutting HTTP behaviour: one error shape, request ids, JSON logs, health."""

import json
import logging

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_unknown_path_is_json_404(client):
    response = client.get("/api/orders/not-a-uuid/nothing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_wrong_method_is_json_405(customer):
    response = customer.put("/api/cart/", {})

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_non_json_body_is_415(customer):
    response = customer.post("/api/cart/items/", "product_id=1", content_type="text/plain")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_a_huge_body_is_413(customer, catalog):
    response = customer.post(
        "/api/cart/items/",
        json.dumps({"product_id": 1, "quantity": 1, "pad": "x" * 300_000}),
        content_type="application/json",
    )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_request_id_is_kept_when_sane_and_made_otherwise(client):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces\n")

    assert kept["X-Request-ID"] == "abc-123"
    assert replaced["X-Request-ID"] not in ("", "bad id with spaces\n")
    assert len(replaced["X-Request-ID"]) == 32


def test_access_log_is_json_with_the_request_id(client, caplog):
    from shopcore.logging import JsonFormatter

    with caplog.at_level(logging.INFO, logger="access"):
        client.get("/healthz", HTTP_X_REQUEST_ID="log-me-1")

    stdout = next(
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, JsonFormatter)
    )
    record = next(record for record in caplog.records if record.name == "access")
    line = json.loads(stdout.format(record))
    assert line["request_id"] == "log-me-1"
    assert line["logger"] == "access"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert {"time", "level", "message", "duration_ms"} <= set(line)


def test_healthz_is_always_ok_also_under_the_public_prefix(client):
    for path in ("/healthz", "/api/orders/healthz"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}


def test_readyz_checks_database_and_redis(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "redis": "ok"}}


def test_readyz_is_503_when_redis_is_unreachable(client, settings):
    from testenv import free_port

    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()["error"]
    assert body["code"] == "service_unavailable"
    assert body["details"]["checks"]["redis"].startswith("unavailable")
    assert body["details"]["checks"]["database"] == "ok"


def test_readyz_is_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["error"]["details"]["checks"]["database"].startswith("unavailable")


def test_an_unexpected_error_is_a_json_500(customer, monkeypatch, caplog):
    from orders import selectors

    def boom(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "order_list_for_user", boom)
    customer.raise_request_exception = False

    with caplog.at_level(logging.ERROR):
        response = customer.get("/api/orders/")

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
