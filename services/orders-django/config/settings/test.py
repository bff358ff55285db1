"""pytest: a throwaway PostgreSQL and Redis from testenv, fake upstreams set by fixtures."""

import environ

import testenv
from config.env import env
from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-used-anywhere-else"  # noqa: S105
DATABASES = {"default": environ.Env.db_url_config(testenv.postgres_url("orders"))}
# Database 3: other services' suites use other numbers on the same throwaway Redis.
REDIS_URL = testenv.redis_url(3)
CELERY_BROKER_URL = REDIS_URL

# The fixtures in tests/conftest.py start fake auth and catalog servers and point these at them.
JWT_ISSUER = "http://auth.test"
AUTH_JWKS_URL = "http://127.0.0.1:9/.well-known/jwks.json"
AUTH_INTERNAL_URL = "http://127.0.0.1:9"
CATALOG_URL = "http://127.0.0.1:9"
SERVICE_CLIENT_ID = "orders"
SERVICE_CLIENT_SECRET = "orders-test-secret"  # noqa: S105

UPSTREAM_TIMEOUT_SECONDS = 2.0
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
