"""gunicorn settings; development and containers run the same command from services/auth-flask:

    gunicorn --config gunicorn.conf.py "auth:create_app()"

PORT (default 8001), GUNICORN_WORKERS (default 2) and GUNICORN_THREADS (default 4) come from the
environment. Logs are JSON on stdout, gunicorn's own lines included; there is no gunicorn access
log because the app writes one JSON line per request, with its request id.
"""

import os


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip() or str(default)
    if not raw.isdecimal() or int(raw) < 1:
        raise SystemExit(f"{name} must be a positive whole number, got {raw!r}")
    return int(raw)


bind = f"0.0.0.0:{_positive_int('PORT', 8001)}"
workers = _positive_int("GUNICORN_WORKERS", 2)
threads = _positive_int("GUNICORN_THREADS", 4)
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Heartbeat files on a container's overlay filesystem can stall workers; memory is safer.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# Several services run side by side in development; one default control socket would clash.
control_socket_disable = True

accesslog = None
logger_class = "auth.logging.GunicornLogger"
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "auth.logging.JsonFormatter"}},
    "filters": {"request_id": {"()": "auth.logging.RequestIdFilter"}},
    "handlers": {
        # The app's logging setup recognises this handler by name and adds no second one.
        "auth-json-stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
            "stream": "ext://sys.stdout",
        },
    },
    "root": {
        "level": os.environ.get("LOG_LEVEL", "INFO").upper(),
        "handlers": ["auth-json-stdout"],
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}
