"""Every error, whichever layer answers it, has the one JSON shape."""

import pytest

from catalog.api import views

pytestmark = pytest.mark.django_db


def _assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_unknown_path_is_404(api_client):
    _assert_error(api_client.get("/no/such/page"), 404, "not_found")


def test_missing_trailing_slash_is_404_not_a_redirect(api_client):
    _assert_error(api_client.get("/api/catalog/products"), 404, "not_found")


def test_wrong_method_on_an_api_view_is_405(api_client):
    response = api_client.delete("/api/catalog/products/")

    _assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_wrong_method_on_a_probe_is_405(api_client):
    _assert_error(api_client.post("/healthz"), 405, "method_not_allowed")


def test_body_above_the_limit_is_413_before_parsing(admin_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = b'{"name": "' + b"x" * 2000 + b'"}'

    response = admin_client.generic(
        "POST", "/api/catalog/admin/products/", body, content_type="application/json"
    )

    error = _assert_error(response, 413, "payload_too_large")
    assert error["details"]["limit_bytes"] == 1024


def test_unsupported_media_type_is_415(admin_client):
    response = admin_client.generic(
        "POST", "/api/catalog/admin/products/", b"sku=X", content_type="text/plain"
    )

    _assert_error(response, 415, "unsupported_media_type")


def test_invalid_json_is_400_invalid_json(admin_client):
    response = admin_client.generic(
        "POST", "/api/catalog/admin/products/", b"{", content_type="application/json"
    )

    _assert_error(response, 400, "invalid_json")


def test_disallowed_host_is_400(api_client):
    _assert_error(
        api_client.get("/api/catalog/products/", HTTP_HOST="evil.example"), 400, "bad_request"
    )


def test_probes_answer_whatever_the_host(api_client):
    # Orchestrators probe by IP address, which no ALLOWED_HOSTS lists.
    assert api_client.get("/healthz", HTTP_HOST="10.1.2.3:8002").status_code == 200


def test_a_bug_is_a_500_in_the_shape_and_logged_with_the_request_id(
    api_client, monkeypatch, json_logs
):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.selectors, "category_tree_with_counts", broken)
    api_client.raise_request_exception = False

    response = api_client.get("/api/catalog/categories/", HTTP_X_REQUEST_ID="req-500")

    error = _assert_error(response, 500, "internal_error")
    assert "a bug" not in error["message"]
    assert response["X-Request-ID"] == "req-500"
    errors = [line for line in json_logs() if line["level"] == "ERROR"]
    assert errors
    assert errors[0]["request_id"] == "req-500"
    assert "RuntimeError: a bug" in errors[0]["exc_info"]
