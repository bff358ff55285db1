"""Tests: PostgreSQL and Redis from testenv (throwaway servers); fake auth and catalog.

`DATABASE_URL` wins when set; otherwise `testenv.postgres_url` points at the server that
`python -m testenv run` started, or starts a private one for this process. The addresses of
auth and catalog are replaced per test by fake servers (tests/fakes.py).
"""

import environ

import testenv
from config.settings.base import *  # noqa: F403
from config.settings.base import database_settings, env

DEBUG = False

SECRET_KEY = "test-only-key-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

_given_database = env.database("DATABASE_URL", default=None)
DATABASES = {
    "default": database_settings(
        _given_database or environ.Env.db_url_config(testenv.postgres_url("orders"))
    ),
}
# Tests run in transactions that roll back; a connection kept between them would only hide
# leaks from threads.
DATABASES["default"]["CONN_MAX_AGE"] = 0

# Database 3 of the run's Redis: the other services' suites use other numbers.
REDIS_URL = testenv.redis_url(3)
CELERY_BROKER_URL = REDIS_URL

JWT_ISSUER = "http://auth.test"
AUTH_JWKS_URL = "http://127.0.0.1:9/.well-known/jwks.json"
AUTH_INTERNAL_URL = "http://127.0.0.1:9"
CATALOG_URL = "http://127.0.0.1:9"
SERVICE_CLIENT_ID = "orders"
SERVICE_CLIENT_SECRET = "orders-test-secret"  # noqa: S105 - a test value

# Fast retries and a quick relay, so fault tests take milliseconds.
UPSTREAM_TIMEOUT_SECONDS = 2
PAYMENT_RETRY_DELAY_SECONDS = 0.0
OUTBOX_IDLE_SECONDS = 0.01
OUTBOX_BACKOFF_MAX_SECONDS = 0.05
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}

env.check()
