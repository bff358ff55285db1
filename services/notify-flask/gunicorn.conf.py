"""gunicorn settings for the API process.

    gunicorn --config gunicorn.conf.py "notify:create_app()"

The same command runs in `make dev` and in the container; only the environment differs.
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8004')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 30
graceful_timeout = 20
# One JSON access line per request comes from the app itself (notify.logging), with the request id.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
# Trust X-Forwarded-* only from the gateway in front of us.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
