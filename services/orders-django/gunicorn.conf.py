"""gunicorn settings, the same in `make dev` and in containers:
`gunicorn --config gunicorn.conf.py config.wsgi`."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8003')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads let one worker wait on the catalog while serving other requests.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# Checkout waits for the catalog (UPSTREAM_TIMEOUT_SECONDS) and retries the payment provider;
# this stays below IDEMPOTENCY_LEASE_SECONDS so a killed request's claim is taken over later.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Access lines come from the app's own JSON logger (core.logging.AccessLogMiddleware).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
forwarded_allow_ips = "*"
