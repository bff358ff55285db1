"""Errors: the one JSON error shape for HTTP, and the two kinds of failure in event handling.

HTTP: every 4xx and 5xx is `{"error": {"code", "message", "details"}}`. Services raise `ApiError`
subclasses; werkzeug's own HTTP errors (404, 405, 413, 415) and any unexpected exception are
converted here too, so no response ever leaves the app as HTML or as Flask-RESTful's own format.

Events: a failure is either *transient* (worth retrying: SMTP down, a peer answering 5xx or
timing out, the database unreachable) or *permanent* (retrying cannot help: the event breaks its
schema, the order does not exist). `notify.tasks` turns the first into a bounded retry and the
second into a dead letter at once.
"""

import logging
from typing import Any

import redis
from flask import Flask, Response, jsonify
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An error a client can act on; subclasses fix the status and the code."""

    status = 400
    code = "bad_request"
    message = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.message
        self.details = details or {}
        self.headers = headers or {}
        super().__init__(self.message)


class ValidationFailed(ApiError):
    status = 400
    code = "validation_error"
    message = "The request is not valid."


class InvalidJson(ApiError):
    status = 400
    code = "invalid_json"
    message = "The request body is not valid JSON."


class NotAuthenticated(ApiError):
    status = 401
    code = "not_authenticated"
    message = "Authentication is required."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(message, **kwargs)


class TokenInvalid(ApiError):
    status = 401
    code = "token_invalid"
    message = "The token is invalid or has expired."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        super().__init__(message, **kwargs)


class NotFound(ApiError):
    status = 404
    code = "not_found"
    message = "The resource was not found."


class ServiceUnavailable(ApiError):
    status = 503
    code = "service_unavailable"
    message = "The service is temporarily unavailable. Try again shortly."


# werkzeug's HTTP errors, by status, in the contract's words.
_HTTP_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "The request could not be understood."),
    401: ("not_authenticated", "Authentication is required."),
    403: ("permission_denied", "You do not have permission to do this."),
    404: ("not_found", "The requested URL was not found."),
    405: ("method_not_allowed", "The method is not allowed for this URL."),
    409: ("conflict", "The request conflicts with the current state."),
    413: ("payload_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Send the request body as application/json."),
    422: ("unprocessable", "The request could not be processed."),
    429: ("rate_limited", "Too many requests. Try again later."),
    500: ("internal_error", "Something went wrong on our side."),
    503: ("service_unavailable", "The service is temporarily unavailable. Try again shortly."),
}
# Response headers worth keeping from a werkzeug error (405 must say which methods are allowed).
_KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    response = jsonify({"error": {"code": code, "message": message, "details": details or {}}})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _handle_api_error(error: ApiError) -> Response:
    return error_response(error.status, error.code, error.message, error.details, error.headers)


def _handle_http_error(error: HTTPException) -> Response:
    status = error.code or 500
    code, message = _HTTP_CODES.get(
        status, ((error.name or "error").lower().replace(" ", "_"), error.description or "")
    )
    headers = {name: value for name, value in error.get_headers() if name in _KEPT_HEADERS}
    return error_response(status, code, message, headers=headers)


# No rollback needed in these handlers: Flask-SQLAlchemy removes the request's session (rolling
# back whatever it held) when the app context ends.
def _handle_database_unavailable(error: OperationalError) -> Response:
    logger.error("Database unavailable: %s", error.orig)
    return _handle_api_error(ServiceUnavailable())


def _handle_redis_unavailable(error: redis.RedisError) -> Response:
    logger.error("Redis unavailable: %s", error)
    return _handle_api_error(ServiceUnavailable())


def _handle_unexpected(error: Exception) -> Response:
    # A bug. The log line carries the request id, so the client's id finds the traceback.
    logger.exception("Unhandled exception")
    code, message = _HTTP_CODES[500]
    return error_response(500, code, message)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ApiError, _handle_api_error)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(OperationalError, _handle_database_unavailable)
    app.register_error_handler(redis.ConnectionError, _handle_redis_unavailable)
    app.register_error_handler(redis.TimeoutError, _handle_redis_unavailable)
    app.register_error_handler(Exception, _handle_unexpected)


# Event handling ------------------------------------------------------------------------------


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
