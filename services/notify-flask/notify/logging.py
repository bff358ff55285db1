"""JSON logs on stdout, one object per line, each carrying the request id.

In the API the id comes from the gateway's `X-Request-ID` header when it is a sane token (else a
new one is made) and is echoed on every response. In the worker it comes from the event's
`correlation_id`, so one id follows a checkout from the browser, through the orders service and
its event, to the e-mail sent here, and on into the REST calls made for it. The id lives in a
context variable, which the web app, the Celery task and the REST clients all read the same way.
"""

import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar

from flask import Flask, Response, g, request
from gunicorn import glogging
from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
_HANDLER_NAME = "notify-json-stdout"
# Probes hit these every few seconds; their access lines are only worth it when debugging.
_QUIET_PATHS = frozenset({"/healthz", "/readyz"})

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
access_logger = logging.getLogger("notify.access")


def current_request_id() -> str | None:
    """The id of the request or event being handled; None outside both."""
    return request_id_var.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(value: object) -> str | None:
    """`value` if it is a short plain token that cannot forge log lines, else None."""
    return value if isinstance(value, str) and _SANE_REQUEST_ID.match(value) else None


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (None outside a request or event)."""

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
    """Send every logger's records to stdout as JSON. Safe to call more than once."""
    root = logging.getLogger()
    root.setLevel(level)
    if any(handler.get_name() == _HANDLER_NAME for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)


def _start(*_args: object) -> None:
    request_id = sane_request_id(request.headers.get(REQUEST_ID_HEADER)) or new_request_id()
    g.request_id_token = request_id_var.set(request_id)
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


def _forget(_error: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        request_id_var.reset(token)


def init_request_logging(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_forget)
