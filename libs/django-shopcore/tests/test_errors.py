"""Every error, whichever layer answers it, has one shape: {"error": {code, message, details}}."""

import pytest
from django.core.exceptions import RequestDataTooBig
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from shopcore.errors import exception_handler

pytestmark = pytest.mark.django_db

PREFIX = "/api/things"


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_an_application_error_keeps_its_status_code_message_and_details(api_client):
    error = error_of(api_client.get(f"{PREFIX}/fail/conflict/"), 409, "conflict")

    assert error["message"] == "It clashes."
    assert error["details"] == {"with": 7}


def test_an_application_error_without_a_message_has_its_default(api_client):
    error = error_of(api_client.get(f"{PREFIX}/fail/unavailable/"), 503, "service_unavailable")

    assert error["message"].startswith("A service this request needs is unavailable")


def test_field_errors_stay_keyed_by_field(admin_client):
    response = admin_client.post(f"{PREFIX}/admin/articles/", {"title": ""}, format="json")

    error = error_of(response, 400, "validation_error")
    assert error["message"] == "The request is not valid."
    assert list(error["details"]) == ["title"]


@pytest.mark.parametrize("kind", ["invalid-body", "invalid-value"])
def test_errors_about_the_whole_body_go_under_non_field_errors(api_client, kind):
    error = error_of(api_client.get(f"{PREFIX}/fail/{kind}/"), 400, "validation_error")

    assert list(error["details"]) == ["non_field_errors"]
    assert len(error["details"]["non_field_errors"]) == 1


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("django-not-found", 404, "not_found"),
        ("django-forbidden", 403, "permission_denied"),
        ("django-invalid", 400, "validation_error"),
    ],
)
def test_djangos_own_exceptions_in_an_api_view_get_the_shape_too(api_client, kind, status, code):
    error_of(api_client.get(f"{PREFIX}/fail/{kind}/"), status, code)


def test_django_validation_errors_keep_their_fields(api_client):
    error = error_of(api_client.get(f"{PREFIX}/fail/django-invalid/"), 400, "validation_error")

    assert error["details"] == {"when": ["Not a date."]}


def test_invalid_json_is_400_invalid_json(admin_client):
    response = admin_client.generic(
        "POST", f"{PREFIX}/admin/articles/", b"{", content_type="application/json"
    )

    error = error_of(response, 400, "invalid_json")
    assert error["details"]["reason"]


def test_unsupported_media_type_is_415(admin_client):
    response = admin_client.generic(
        "POST", f"{PREFIX}/admin/articles/", b"title=x", content_type="text/plain"
    )

    error_of(response, 415, "unsupported_media_type")


def test_wrong_method_on_an_api_view_is_405_with_allow(api_client):
    response = api_client.delete(f"{PREFIX}/articles/")

    error_of(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_not_acceptable_is_406(api_client):
    response = api_client.get(f"{PREFIX}/articles/", HTTP_ACCEPT="text/html")

    error_of(response, 406, "not_acceptable")


def test_no_token_on_a_protected_view_is_401_with_a_challenge(api_client):
    response = api_client.get(f"{PREFIX}/me/")

    error_of(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_an_unknown_path_is_404_naming_it(api_client):
    error = error_of(api_client.get("/no/such/page"), 404, "not_found")

    assert "/no/such/page" in error["message"]


def test_missing_trailing_slash_is_404_not_a_redirect(api_client):
    error_of(api_client.get(f"{PREFIX}/articles"), 404, "not_found")


def test_a_disallowed_host_is_400(api_client):
    error_of(api_client.get(f"{PREFIX}/articles/", HTTP_HOST="evil.example"), 400, "bad_request")


def test_permission_denied_in_a_plain_view_is_403(api_client):
    error_of(api_client.get(f"{PREFIX}/plain/forbidden/"), 403, "permission_denied")


@pytest.mark.parametrize("path", ["fail/bug/", "plain/bug/"])
def test_a_bug_is_a_500_in_the_shape_logged_with_the_request_id(api_client, json_logs, path):
    api_client.raise_request_exception = False

    response = api_client.get(f"{PREFIX}/{path}", HTTP_X_REQUEST_ID="req-500")

    error = error_of(response, 500, "internal_error")
    assert "a bug" not in error["message"]
    assert response["X-Request-ID"] == "req-500"
    errors = [line for line in json_logs() if line["level"] == "ERROR"]
    assert errors
    assert errors[0]["request_id"] == "req-500"
    assert "RuntimeError: a bug" in errors[0]["exc_info"]


class _AlwaysThrottled(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        return False

    def wait(self) -> float:
        return 6.2


class _ThrottledView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [_AlwaysThrottled]

    def get(self, request):
        return Response({})


def test_throttled_is_429_with_retry_after_rounded_up():
    request = APIRequestFactory().get("/anything")

    response = _ThrottledView.as_view()(request)
    response.render()

    assert response.status_code == 429
    assert response["Retry-After"] == "7"
    assert response.data["error"]["code"] == "rate_limited"


def test_a_body_django_finds_too_big_is_413():
    # Django raises this itself when a view reads a body without Content-Length that is
    # larger than DATA_UPLOAD_MAX_MEMORY_SIZE.
    response = exception_handler(RequestDataTooBig(), {})

    assert response.status_code == 413
    assert response.data["error"]["code"] == "payload_too_large"


def test_an_unexpected_exception_is_left_to_djangos_500_handler():
    assert exception_handler(KeyError("x"), {}) is None
