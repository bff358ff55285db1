"""Tests: PostgreSQL and Redis from testenv (throwaway servers), plus an SQLite alias.

`DATABASE_URL` wins when set; otherwise `testenv.postgres_url` points at the server that
`python -m testenv run` started, or starts a private one for this process. The `sqlite`
alias lets a test run the same code on the embedded database (see tests/conftest.py).
"""

import environ

import testenv
from config.settings.base import *  # noqa: F403
from config.settings.base import database_settings, env

DEBUG = False

# A fixed key: tests sign nothing that outlives them.
SECRET_KEY = "test-only-key-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

_given_database = env.database("DATABASE_URL", default=None)
DATABASES = {
    "default": database_settings(
        _given_database or environ.Env.db_url_config(testenv.postgres_url("catalog"))
    ),
    "sqlite": database_settings({"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}),
}
# Tests run in transactions that roll back; a connection kept between them would only hide
# leaks from threads.
DATABASES["default"]["CONN_MAX_AGE"] = 0

REDIS_URL = testenv.redis_url(1)

# Retries within a test's patience; the visibility timeout still exceeds the longest countdown
# plus the time limit, as base.py demands of every environment.
CATALOG_EVENT_MAX_ATTEMPTS = 4
CATALOG_EVENT_RETRY_BACKOFF_BASE = 0.05
CATALOG_EVENT_RETRY_BACKOFF_MAX = 0.2
CELERY_TASK_TIME_LIMIT = 20
CELERY_VISIBILITY_TIMEOUT = 60
CELERY_UNACKED_RESTORE_INTERVAL = 1

JWT_ISSUER = "https://auth.shop.test"
# Replaced per test by the address of a JWKS served from a key made for the run.
AUTH_JWKS_URL = "http://127.0.0.1:9/.well-known/jwks.json"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

env.check()
