import pytest

from testenv import free_port

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["", "/api/catalog"])
def test_healthz_and_readyz(api_client, prefix):
    health = api_client.get(f"{prefix}/healthz")
    ready = api_client.get(f"{prefix}/readyz")

    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "redis": "ok"}}


def test_readyz_is_503_naming_redis_when_it_is_unreachable(api_client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"

    ready = api_client.get("/readyz")

    assert ready.status_code == 503
    error = ready.json()["error"]
    assert error["code"] == "service_unavailable"
    assert error["details"]["checks"]["database"] == "ok"
    assert error["details"]["checks"]["redis"].startswith("unavailable")
    assert api_client.get("/healthz").status_code == 200
