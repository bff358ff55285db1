"""The service as it runs in production: gunicorn with the real command and production settings.

It gets its own PostgreSQL server, which the test stops and starts again: /readyz must follow
the database while /healthz stays 200 throughout.
"""

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from django.conf import settings

from testenv import PostgresServer, free_port

SERVICE_DIR = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def _environment(database_url: str, port: int) -> dict[str, str]:
    keep = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "s" * 64,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "JWT_ISSUER": "http://auth.test",
        "AUTH_JWKS_URL": "http://127.0.0.1:9/.well-known/jwks.json",
        "PORT": str(port),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
    }


def _wait_for(url: str, status: int, *, timeout: float = 20.0) -> requests.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = requests.get(url, timeout=5)
            if response.status_code == status:
                return response
        except requests.ConnectionError:
            response = None
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not answer {status}; last: {response}")
        time.sleep(0.2)


@pytest.fixture
def postgres_server() -> Iterator[PostgresServer]:
    with PostgresServer() as server:
        yield server


class Service:
    def __init__(self, database: PostgresServer) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [GUNICORN, "--config", "gunicorn.conf.py", "config.wsgi"],
            cwd=SERVICE_DIR,
            env=_environment(database.database_url("postgres"), self.port),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output: str | None = None

    def stop(self) -> list[dict]:
        """Stop gracefully and return the JSON log lines it wrote."""
        if self.output is None:
            self.process.terminate()
            self.output, _ = self.process.communicate(timeout=30)
            assert self.process.returncode == 0, self.output
        return [json.loads(line) for line in self.output.splitlines()]


@pytest.fixture
def service(postgres_server: PostgresServer) -> Iterator[Service]:
    service = Service(postgres_server)
    try:
        _wait_for(f"{service.url}/healthz", 200)
        yield service
    finally:
        service.stop()


def test_readyz_is_503_while_postgresql_is_stopped_and_healthz_stays_200(service, postgres_server):
    assert requests.get(f"{service.url}/readyz", timeout=5).status_code == 200

    postgres_server.stop()
    try:
        not_ready = requests.get(f"{service.url}/readyz", timeout=10)
        alive = requests.get(f"{service.url}/healthz", timeout=5)
    finally:
        postgres_server.start()

    assert not_ready.status_code == 503
    error = not_ready.json()["error"]
    assert error["code"] == "service_unavailable"
    assert error["details"]["checks"]["database"].startswith("unavailable")
    assert error["details"]["checks"]["redis"] == "ok"
    assert alive.status_code == 200
    assert alive.json() == {"status": "ok"}
    # And back once the database is.
    _wait_for(f"{service.url}/readyz", 200)


def test_every_log_line_is_json_and_access_lines_carry_the_request_id(service):
    response = requests.get(f"{service.url}/readyz", headers={"X-Request-ID": "probe-1"}, timeout=5)

    lines = service.stop()  # raises if any line is not JSON
    assert response.headers["X-Request-ID"] == "probe-1"
    assert any(line["logger"] == "gunicorn.error" for line in lines)
    access = [line for line in lines if line.get("request_id") == "probe-1"]
    assert len(access) == 1
    assert access[0]["logger"] == "access"
    assert (access[0]["path"], access[0]["status"]) == ("/readyz", 200)


def test_a_configuration_error_stops_the_start_with_one_message():
    env = _environment("nonsense://", free_port())
    del env["SECRET_KEY"]

    result = subprocess.run(
        [GUNICORN, "--config", "gunicorn.conf.py", "config.wsgi"],
        cwd=SERVICE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "DATABASE_URL is malformed" in result.stderr
