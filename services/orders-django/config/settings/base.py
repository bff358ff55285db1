"""Settings shared by every environment.

Only values that are safe everywhere live here, with the knobs of carts, checkout and the
outbox relay. Each environment module (dev, test, production) adds what differs: the secret
key, the database, Redis, the token issuer, the addresses of auth and catalog, this service's
client credentials, and ends with `env.check()`, which fails with one message naming every
missing or malformed variable.
"""

from decimal import Decimal
from pathlib import Path
from typing import Any

from shopcore.env import EnvReader
from shopcore.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
REPO_DIR = BASE_DIR.parent.parent

env = EnvReader("orders-django")

# The public prefixes the gateway routes to this service; the API is served under them
# unchanged. Health probes are also answered under API_PREFIX (shopcore.middleware).
API_PREFIX = "api/orders/"
CART_PREFIX = "api/cart/"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    "drf_spectacular",
    "shopcore",
    "orders",
]

MIDDLEWARE = [
    "shopcore.middleware.RequestIdMiddleware",
    "shopcore.middleware.AccessLogMiddleware",
    "shopcore.middleware.HealthCheckMiddleware",
    "shopcore.middleware.JsonErrorMiddleware",
    "shopcore.middleware.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
TEMPLATES: list[dict[str, Any]] = []

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# An API answers with 404 instead of redirecting: a redirected POST would lose its body.
APPEND_SLASH = False

# Request bodies above this size are answered with 413 before anything reads them. A checkout
# body is well under 2 KiB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOG_LEVEL = env.log_level()
LOGGING = logging_config(LOG_LEVEL)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["shopcore.authentication.JwtAuthentication"],
    # Deny by default: every endpoint is someone's own cart or orders, unless a view says
    # otherwise (admin and internal endpoints).
    "DEFAULT_PERMISSION_CLASSES": ["orders.api.permissions.IsShopUser"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "shopcore.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "orders-django",
    "DESCRIPTION": (
        "Carts, checkout and orders of the reference shop. Every endpoint needs a user token "
        "(audience shop); ship, deliver and the order list of /admin/ need the admin role; "
        "/internal/ endpoints need a service token (audience shop-internal, role service). "
        'Every error answers {"error": {"code", "message", "details"}}.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.state.Status",
        "OrderActorEnum": "orders.state.Actor",
    },
}

# Tokens from auth-flask: RS256 only; user tokens carry aud=shop, service tokens
# aud=shop-internal. The issuer and the JWKS address come from each environment module.
JWT_ALGORITHMS = ["RS256"]
JWT_AUDIENCE = "shop"
JWT_INTERNAL_AUDIENCE = "shop-internal"
JWT_LEEWAY_SECONDS = 10
JWKS_CACHE_SECONDS = 300
JWKS_TIMEOUT_SECONDS = 3
# An unknown `kid` fetches the key set again, but at most this often.
JWKS_REFRESH_COOLDOWN_SECONDS = 30

# -- calls to other services ------------------------------------------------------------------
# Read timeout of every REST call to catalog and auth (connecting gets at most 2 s of it).
UPSTREAM_TIMEOUT_SECONDS = env.int("UPSTREAM_TIMEOUT_SECONDS", default=5, minimum=1)

# -- cart and checkout ------------------------------------------------------------------------
CURRENCY = "EUR"
CART_MAX_LINES = env.int("CART_MAX_LINES", default=50, minimum=1)
CART_MAX_QUANTITY = env.int("CART_MAX_QUANTITY", default=99, minimum=1)
# Shipping: a flat fee, free from a subtotal; prices are gross (VAT included), tax is 0.00.
SHIPPING_FLAT_FEE = Decimal("4.90")
SHIPPING_FREE_FROM = Decimal("50.00")
# The catalog holds an order's stock this long. It is longer than ORDERS_PENDING_TTL_SECONDS,
# so this service cancels a stuck order (and emits order.cancelled) before the catalog's own
# expiry has to step in.
RESERVATION_TTL_SECONDS = env.int("RESERVATION_TTL_SECONDS", default=1800, minimum=60)
ORDERS_PENDING_TTL_SECONDS = env.int("ORDERS_PENDING_TTL_SECONDS", default=900, minimum=1)
# Checkout keys are kept at least a day. A claim's lease outlives the longest request (gunicorn
# times a worker out after 30 s), so only a dead request's claim is ever taken over.
IDEMPOTENCY_TTL_SECONDS = env.int("IDEMPOTENCY_TTL_SECONDS", default=86400, minimum=86400)
IDEMPOTENCY_LEASE_SECONDS = env.int("IDEMPOTENCY_LEASE_SECONDS", default=60, minimum=1)
# Transient provider failures are retried inside the request: at most this many attempts,
# waiting PAYMENT_RETRY_DELAY_MS, doubled after each failure (0.2 s + 0.4 s by default).
PAYMENT_MAX_ATTEMPTS = env.int("PAYMENT_MAX_ATTEMPTS", default=3, minimum=1)
PAYMENT_RETRY_DELAY_SECONDS = env.int("PAYMENT_RETRY_DELAY_MS", default=200, minimum=0) / 1000

# -- events -----------------------------------------------------------------------------------
EVENT_SOURCE = "orders"
EVENT_SUBSCRIPTIONS_FILE = env.path(
    "EVENT_SUBSCRIPTIONS_FILE", default=REPO_DIR / "contracts" / "events" / "subscriptions.json"
)
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=50, minimum=1)
# The relay polls this often when the outbox is empty, and backs off up to the maximum
# (doubling) while the broker is unreachable.
OUTBOX_IDLE_SECONDS = env.int("OUTBOX_IDLE_MS", default=200, minimum=1) / 1000
OUTBOX_BACKOFF_MAX_SECONDS = env.int("OUTBOX_BACKOFF_MAX_SECONDS", default=30, minimum=1)
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=7, minimum=1)
PERIODIC_INTERVAL_SECONDS = env.int("PERIODIC_INTERVAL_SECONDS", default=30, minimum=1)

# Celery is used only to send: the relay puts `<subscriber>.handle_event` tasks on each
# subscriber's own queue (a Redis list named after it). Redis acknowledges a push before
# send_task returns, so a send that returned is in the broker; a send that cannot reach Redis
# retries briefly, then fails, and the relay keeps the row and backs off.
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 3,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]


def database_settings(config: dict[str, Any] | None) -> dict[str, Any] | None:
    """Complete a parsed DATABASE_URL with the connection behaviour every environment wants."""
    if config is None:
        return None
    config = {**config}
    if config["ENGINE"].endswith("sqlite3"):
        # WAL and a busy timeout let gunicorn's threads, the relay and the periodic jobs share
        # one SQLite file; IMMEDIATE transactions take the write lock up front instead of
        # failing half-way.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    else:
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
        config["OPTIONS"] = {"connect_timeout": 3}
    return config
