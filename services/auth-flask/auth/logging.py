"""JSON logs on stdout, one object per line, each carrying the request id.

The id comes from the gateway's `X-Request-ID` header when it is a sane token; otherwise (a
direct call, or a header that could forge log lines) a new one is made. It is echoed on every
response so a client can quote it, and every log line written while handling the request carries
it. gunicorn.conf.py uses the same formatter for gunicorn's own messages.
"""

import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, has_request_context, request
from gunicorn import glogging
from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
_HANDLER_NAME = "auth-json-stdout"
# Probes hit these every few seconds; their access lines are only worth it when debugging.
_QUIET_PATHS = frozenset({"/healthz", "/readyz"})

access_logger = logging.getLogger("auth.access")


def current_request_id() -> str | None:
    """The id of the request being handled, made on first use; None outside a request."""
    if not has_request_context():
        return None
    request_id = g.get("request_id")
    if request_id is None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _SANE_REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_id = request_id
    return request_id


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(_BaseJsonFormatter):
    """`time`, `level`, `logger`, `message`, `request_id`, plus any `extra` fields."""

    def __init__(self) -> None:
        super().__init__(
            ["levelname", "name", "message", "request_id"],
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
        )


class GunicornLogger(glogging.Logger):
    """gunicorn's logger, minus its access line, which the app writes itself (with the request
    id). `accesslog = None` alone is not enough: with a logging configuration given, gunicorn
    builds that line's fields for every request and only then drops them."""

    def access(self, resp: object, req: object, environ: object, request_time: object) -> None:
        return None


def configure_logging(level: str) -> None:
    """Send every logger's records to stdout as JSON. Safe to call once per app."""
    root = logging.getLogger()
    root.setLevel(level)
    if any(handler.get_name() == _HANDLER_NAME for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)


def _start_timer() -> None:
    current_request_id()
    g.started_at = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = current_request_id() or ""
    started_at = g.get("started_at")
    duration_ms = round((time.perf_counter() - started_at) * 1000, 2) if started_at else None
    level = logging.DEBUG if request.path in _QUIET_PATHS else logging.INFO
    access_logger.log(
        level,
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
        },
    )
    return response


def init_request_logging(app: Flask) -> None:
    app.before_request(_start_timer)
    app.after_request(_finish)
