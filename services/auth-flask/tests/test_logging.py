import io
import json
import logging

import pytest

from auth.logging import JsonFormatter, RequestIdFilter


@pytest.fixture
def log_lines():
    """Everything logged during the test, formatted as production formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous_level = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous_level)


def test_a_sane_request_id_is_echoed(client):
    response = client.get(
        "/healthz", headers={"X-Request-ID": "f3a9c0de-1b2c-4d5e-8f90-0123456789ab"}
    )

    assert response.headers["X-Request-ID"] == "f3a9c0de-1b2c-4d5e-8f90-0123456789ab"


@pytest.mark.parametrize(
    "given", ["", "has spaces", "line\\nbreak", "x" * 129, '"quoted"', "<script>"]
)
def test_an_unusable_request_id_is_replaced(client, given):
    response = client.get("/healthz", headers={"X-Request-ID": given})

    generated = response.headers["X-Request-ID"]
    assert generated != given
    assert len(generated) == 32
    int(generated, 16)


def test_errors_carry_the_request_id_too(client):
    response = client.get("/nope", headers={"X-Request-ID": "trace-404"})

    assert response.headers["X-Request-ID"] == "trace-404"


def test_every_log_line_of_a_request_carries_its_id(client, user, log_lines):
    client.post(
        "/api/auth/login",
        json={"email": "ada@example.com", "password": "Wrong-Password-000"},
        headers={"X-Request-ID": "login-attempt-1"},
    )

    lines = log_lines()
    assert lines
    assert all(line["request_id"] == "login-attempt-1" for line in lines)
    access = [line for line in lines if line["logger"] == "auth.access"]
    assert len(access) == 1
    assert access[0]["method"] == "POST"
    assert access[0]["path"] == "/api/auth/login"
    assert access[0]["status"] == 401
    assert access[0]["duration_ms"] >= 0
    assert {"time", "level", "logger", "message"} <= set(access[0])
