"""Gunicorn settings. The same command runs the service in development and in containers:

    gunicorn --config gunicorn.conf.py config.wsgi

PORT, GUNICORN_WORKERS and GUNICORN_THREADS come from the environment. Access lines are written
by shopcore.middleware.AccessLogMiddleware (they carry the request id), so gunicorn's own access
log is off; its other lines use the same JSON format as the application's.
"""

import os
import sys

from shopcore.logging import logging_config


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        sys.exit(f"catalog-django cannot start: {name} must be a positive integer.")
    return int(raw)


bind = f"0.0.0.0:{_positive_int('PORT', 8002)}"
workers = _positive_int("GUNICORN_WORKERS", 2)
threads = _positive_int("GUNICORN_THREADS", 4)
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Load the application once in the master: a configuration error stops the start-up with one
# message instead of every worker failing in turn.
preload_app = True
accesslog = None
# ...and gunicorn does not even build its access line (see shopcore.gunicorn).
logger_class = "shopcore.gunicorn.Logger"
# Every service on a machine would share gunicorn's default control socket path; none uses it.
control_socket_disable = True
logconfig_dict = logging_config(os.environ.get("LOG_LEVEL", "INFO").upper())
