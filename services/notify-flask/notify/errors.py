"""Errors: the one JSON error shape for HTTP, and the two kinds of failure in event handling.

HTTP: every 4xx/5xx this service answers is `{"error": {"code", "message", "details"}}`,
whether it comes from our own `ApiError`, from Werkzeug (404, 405, 413, ...) or from a bug (500,
logged with the request id).

Events: a failure is either *transient* (worth retrying: SMTP down, a peer answering 5xx or
timing out, the database unreachable) or *permanent* (retrying cannot help: the event breaks its
schema, the order does not exist). The task turns the first into a bounded retry and the second
into a dead letter at once.
"""

import logging
from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

logger = logging.getLogger(__name__)

# Werkzeug's status codes mapped onto the codes of docs/conventions.md.
HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "rate_limited",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}

HTTP_MESSAGES = {
    404: "The requested resource was not found.",
    405: "This method is not allowed on this resource.",
    413: "The request body is too large.",
    500: "Something went wrong on our side; it has been logged.",
}


class ApiError(Exception):
    """An answer in the one error shape; raise it from resources and services."""

    status = 400
    code = "bad_request"
    message = "The request is not valid."

    def __init__(
        self, message: str | None = None, *, details: dict[str, Any] | None = None
    ) -> None:
        self.message = message or self.message
        self.details = details or {}
        super().__init__(self.message)


class ValidationError(ApiError):
    code = "validation_error"
    message = "The request is not valid."


class InvalidJson(ApiError):
    code = "invalid_json"
    message = "The request body is not valid JSON."


class UnsupportedMediaType(ApiError):
    status = 415
    code = "unsupported_media_type"
    message = "Send the request body as application/json."


class NotAuthenticated(ApiError):
    status = 401
    code = "not_authenticated"
    message = "Authentication credentials were not provided."


class TokenInvalid(ApiError):
    status = 401
    code = "token_invalid"
    message = "The access token is invalid or has expired."


class NotFound(ApiError):
    status = 404
    code = "not_found"
    message = "The requested resource was not found."


class ServiceUnavailable(ApiError):
    status = 503
    code = "service_unavailable"
    message = "A service this request depends on is unavailable; try again shortly."


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def handle_api_error(error: ApiError):
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return jsonify(error_body(error.code, error.message, error.details)), error.status, headers

    @app.errorhandler(HTTPException)
    def handle_http_exception(error: HTTPException):
        status = error.code or 500
        code = HTTP_CODES.get(status, "bad_request" if status < 500 else "internal_error")
        message = HTTP_MESSAGES.get(status) or error.description or "Request failed."
        response = jsonify(error_body(code, message))
        response.status_code = status
        # Keep what Werkzeug says in headers (Allow on a 405), not its HTML content type.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        logger.exception("unhandled error")
        return jsonify(error_body("internal_error", HTTP_MESSAGES[500])), 500


# --- event handling ----------------------------------------------------------------------------


class EventError(Exception):
    """A failure while handling one event."""


class TransientError(EventError):
    """Worth retrying: the cause is outside this event and may go away (a peer, SMTP, the DB)."""


class PermanentError(EventError):
    """Retrying cannot help: the event or what it refers to is wrong; dead-letter it now."""


class InvalidEvent(PermanentError):
    """The envelope or its data break the published JSON Schemas."""

    def __init__(self, message: str, *, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(f"{message}: {'; '.join(errors)}")
