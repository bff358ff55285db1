"""JSON log lines on stdout, each carrying the id of the request that caused it.

Used by Django's LOGGING setting and by gunicorn.conf.py, so the server's own lines and the
application's lines look the same. Only the standard library and python-json-logger are
imported here: gunicorn reads this before Django is set up.
"""

import logging
from datetime import UTC, datetime
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from shopcore import request_id


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.current()
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: time, level, logger, message, request_id, then any extras."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", ["message"])
        super().__init__(*args, **kwargs)

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        log_data["time"] = (
            datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")
        ).replace("+00:00", "Z")
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        super().add_fields(log_data, record, message_dict)
        log_data["request_id"] = getattr(record, "request_id", None)


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` dictionary: everything as JSON to stdout."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "shopcore.logging.RequestIdFilter"}},
        "formatters": {"json": {"()": "shopcore.logging.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "filters": ["request_id"],
                "formatter": "json",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # Our access log says the same with the request id; Django's own 4xx warnings
            # would repeat it without. 5xx tracebacks still come through at ERROR.
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "ERROR"},
            "gunicorn.error": {"level": level, "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": True},
        },
    }
