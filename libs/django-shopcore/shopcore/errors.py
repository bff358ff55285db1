"""One error shape for every 4xx and 5xx: `{"error": {"code", "message", "details"}}`.

Three doors lead here: DRF's exception handler (API views), Django's handler400/403/404/500
(everything else), and shopcore.middleware.JsonErrorMiddleware for responses that left a view
without going through either (a 405 from a plain view, a 412 from a conditional GET).
"""

import logging
import math
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import set_rollback

from shopcore.exceptions import ApplicationError

logger = logging.getLogger(__name__)

# The code clients see for each status when nothing more specific is known.
CODE_FOR_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "rate_limited",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}

MESSAGE_FOR_STATUS = {
    404: "Not found.",
    405: "This method is not allowed here.",
    412: "A precondition of the request failed.",
    413: "The request body is too large.",
    500: "Something went wrong on our side. It has been logged.",
}

# DRF's exceptions, mapped to the codes of the contract (docs/conventions.md).
_DRF_CODES: list[tuple[type[exceptions.APIException], str]] = [
    (exceptions.ParseError, "invalid_json"),
    (exceptions.ValidationError, "validation_error"),
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "token_invalid"),
    (exceptions.PermissionDenied, "permission_denied"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "rate_limited"),
]


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def error_response(
    status: int, code: str | None = None, message: str | None = None, details: dict | None = None
) -> JsonResponse:
    """A Django response in the error shape, for code outside DRF views."""
    code = code or CODE_FOR_STATUS.get(status, "error")
    message = message or MESSAGE_FOR_STATUS.get(status) or HTTPStatus(status).phrase + "."
    return JsonResponse(error_body(code, message, details), status=status)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER. Unexpected exceptions return None and become a logged 500."""
    if isinstance(exc, ApplicationError):
        set_rollback()
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status_code)

    exc = _as_api_exception(exc)
    if exc is None:
        return None

    set_rollback()
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(math.ceil(exc.wait))

    code = next((c for cls, c in _DRF_CODES if isinstance(exc, cls)), None)
    code = code or CODE_FOR_STATUS.get(exc.status_code) or str(exc.default_code)
    if isinstance(exc, exceptions.ValidationError):
        message = "The request is not valid."
        details = _validation_details(exc.detail)
    elif isinstance(exc, exceptions.ParseError):
        message = "The request body is not valid JSON."
        details = {"reason": str(exc.detail)}
    else:
        message = str(exc.detail)
        details = {}
    return Response(error_body(code, message, details), status=exc.status_code, headers=headers)


def _as_api_exception(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, RequestDataTooBig):
        error = exceptions.APIException(MESSAGE_FOR_STATUS[413])
        error.status_code = 413
        return error
    return None


def _validation_details(detail: Any) -> dict[str, Any]:
    # Field errors stay keyed by field; errors about the whole body go under non_field_errors.
    if isinstance(detail, dict):
        return detail
    if isinstance(detail, list):
        return {"non_field_errors": detail}
    return {"non_field_errors": [detail]}


# Django's handlers for errors raised outside DRF views (urls.py: handler400 ... handler500).


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(400, message="The request is malformed.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(403, message="You may not do this.")


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(404, message=f"Nothing is served at {request.path}.")


def server_error(request: HttpRequest) -> JsonResponse:
    # Django has already logged the traceback (logger django.request) with the request id.
    return error_response(500)
