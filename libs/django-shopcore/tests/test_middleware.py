"""What every request passes through: request ids, access log, probes, body size, JSON errors."""

import pytest

pytestmark = pytest.mark.django_db

PREFIX = "/api/things"


def test_keeps_a_sane_request_id_and_echoes_it(api_client):
    response = api_client.get(f"{PREFIX}/articles/", HTTP_X_REQUEST_ID="a1b2c3d4e5f6")

    assert response["X-Request-ID"] == "a1b2c3d4e5f6"


@pytest.mark.parametrize("sent", [None, "", "has spaces", "x" * 200, "<script>", "-leading"])
def test_makes_a_fresh_id_when_none_or_an_odd_one_is_sent(api_client, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}

    response = api_client.get("/healthz", **headers)

    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32


def test_errors_carry_the_request_id_too(api_client):
    assert api_client.get("/nowhere", HTTP_X_REQUEST_ID="req-1")["X-Request-ID"] == "req-1"


def test_the_access_log_is_one_json_line_with_the_request_id(api_client, json_logs):
    api_client.get(f"{PREFIX}/articles/", HTTP_X_REQUEST_ID="req-42")

    access = [line for line in json_logs() if line["logger"] == "access"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "req-42"
    assert line["level"] == "INFO"
    assert line["message"] == f"GET {PREFIX}/articles/ 200"
    assert (line["method"], line["path"], line["status"]) == ("GET", f"{PREFIX}/articles/", 200)
    assert isinstance(line["duration_ms"], float)


@pytest.mark.parametrize("path", ["/healthz", f"{PREFIX}/healthz"])
def test_probes_are_answered_at_the_root_and_under_the_prefix(api_client, path):
    response = api_client.get(path)

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_probes_answer_whatever_the_host(api_client):
    # Orchestrators probe by IP address, which no ALLOWED_HOSTS lists.
    assert api_client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert api_client.head("/readyz", HTTP_HOST="10.1.2.3:8000").status_code == 200


def test_a_probe_only_answers_get_and_head(api_client):
    response = api_client.post("/healthz")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD"


def test_a_body_above_the_limit_is_413_before_anything_parses_it(admin_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = b'{"title": "' + b"x" * 2000 + b'"}'

    response = admin_client.generic(
        "POST", f"{PREFIX}/admin/articles/", body, content_type="application/json"
    )

    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "payload_too_large"
    assert error["details"] == {"limit_bytes": 1024, "content_length": len(body)}


def test_a_content_length_that_is_not_a_number_is_400(api_client):
    response = api_client.generic("POST", f"{PREFIX}/admin/articles/", b"{}", CONTENT_LENGTH="lots")

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Content-Length is not a number."


def test_a_405_from_a_plain_view_becomes_json_and_keeps_allow(api_client):
    response = api_client.post(f"{PREFIX}/plain/")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"


def test_a_412_from_a_conditional_request_becomes_json(api_client):
    response = api_client.put(f"{PREFIX}/plain/conditional/", HTTP_IF_MATCH='"v0"')

    assert response.status_code == 412
    assert response.json()["error"]["code"] == "precondition_failed"


def test_a_short_plain_text_reason_is_kept_as_the_message(api_client):
    response = api_client.get(f"{PREFIX}/plain/teapot/")

    assert response.status_code == 418
    assert response.json()["error"] == {
        "code": "error",
        "message": "The pot is a teapot.",
        "details": {},
    }


def test_successful_responses_are_left_alone(api_client):
    response = api_client.get(f"{PREFIX}/plain/")

    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Content-Type"] == "text/plain"
