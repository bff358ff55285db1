"""One error shape for every 4xx and 5xx: {"error": {"code", "message", "details"}}.

Services raise `ApplicationError` (or a subclass naming its code and status); DRF's own
exceptions and Django's are translated here, so no view builds an error body by hand.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

logger = logging.getLogger(__name__)


class ApplicationError(Exception):
    """A business rule said no. Subclasses fix the status and code; the message is for people."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    code: str = "bad_request"
    message: str = "The request cannot be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        details: dict[str, Any] | None = None,
        code: str | None = None,
        status_code: int | None = None,
    ) -> None:
        self.message = message or self.message
        self.details = details or {}
        self.code = code or self.code
        self.status_code = status_code or self.status_code
        super().__init__(self.message)


class NotFoundError(ApplicationError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"
    message = "Not found."


class ConflictError(ApplicationError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"
    message = "The request conflicts with the current state."


class ServiceUnavailableError(ApplicationError):
    """A dependency (another service, the broker) did not answer in time: retry later."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "service_unavailable"
    message = "A service this request needs is unavailable. Please try again shortly."


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or {}}}


# DRF exception class -> (code, message) of our shape; checked in order, first match wins.
_DRF_CODES: list[tuple[type[exceptions.APIException], str, str]] = [
    (exceptions.ParseError, "invalid_json", "The request body is not valid JSON."),
    (exceptions.NotAuthenticated, "not_authenticated", "Authentication is required."),
    (exceptions.AuthenticationFailed, "token_invalid", "The access token is not valid."),
    (exceptions.PermissionDenied, "permission_denied", "You may not do this."),
    (exceptions.NotFound, "not_found", "Not found."),
    (exceptions.MethodNotAllowed, "method_not_allowed", "This method is not allowed here."),
    (exceptions.NotAcceptable, "not_acceptable", "Only JSON is served."),
    (exceptions.UnsupportedMediaType, "unsupported_media_type", "Send JSON (application/json)."),
    (exceptions.Throttled, "rate_limited", "Too many requests."),
]


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every known error becomes the one shape; others stay 500s."""
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("payload_too_large", "The request body is too large."),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, exceptions.ValidationError):
        details = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body = error_body("validation_error", "The request is not valid.", details)
        return Response(body, status=exc.status_code, headers=headers)
    for exc_class, code, message in _DRF_CODES:
        if isinstance(exc, exc_class):
            detail = str(exc.detail) if isinstance(exc.detail, str) else message
            # Authentication messages come from our own code and are safe to show.
            shown = detail if exc_class in (exceptions.AuthenticationFailed,) else message
            return Response(error_body(code, shown), status=exc.status_code, headers=headers)
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
    return Response(error_body(code, str(exc.detail)), status=exc.status_code, headers=headers)


# Django-level handlers, for answers that never reach a DRF view (unknown URLs, crashes).
def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("bad_request", "The request is not valid."), status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("permission_denied", "You may not do this."), status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("not_found", "Not found."), status=404)


def server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        error_body("internal_error", "Something went wrong on our side. It has been logged."),
        status=500,
    )
