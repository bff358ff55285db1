"""/healthz: the process runs (no dependency checked). /readyz: the database and Redis answer."""

import pytest
from django.db import OperationalError, connection

from testenv import free_port

pytestmark = pytest.mark.django_db


def test_ready_when_the_database_and_redis_answer(api_client):
    response = api_client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "redis": "ok"}}


def test_not_ready_naming_redis_when_it_is_unreachable(api_client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"

    response = api_client.get("/readyz")

    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "service_unavailable"
    assert error["details"]["checks"]["database"] == "ok"
    assert error["details"]["checks"]["redis"] == "unavailable: ConnectionError"
    assert api_client.get("/healthz").status_code == 200


def test_not_ready_naming_the_database_when_it_fails(api_client, monkeypatch, json_logs):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = api_client.get("/readyz")
    alive = api_client.get("/healthz")

    assert response.status_code == 503
    checks = response.json()["error"]["details"]["checks"]
    assert checks == {"database": "unavailable: OperationalError", "redis": "ok"}
    assert alive.json() == {"status": "ok"}
    warnings = [line for line in json_logs() if line["message"] == "not ready"]
    assert warnings[0]["checks"] == checks
