"""Settings shared by every environment. Values come from the environment only.

The per-environment modules (dev, test, production) read the connection settings and
secrets; this module reads the knobs that have sensible defaults everywhere.
"""

from pathlib import Path

from config.env import env
from core.logging import logging_config

SERVICE_DIR = Path(__file__).resolve().parents[2]
REPO_DIR = SERVICE_DIR.parents[1]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "drf_spectacular",
    "core",
    "orders",
]

MIDDLEWARE = [
    "core.request_id.RequestIdMiddleware",
    "core.logging.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["*"])
APPEND_SLASH = False
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
USE_I18N = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
TEMPLATES = []
# Bodies are small JSON documents; anything larger is refused with 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
SECURE_CONTENT_TYPE_NOSNIFF = True

LOG_LEVEL = env.str("LOG_LEVEL", "INFO").upper()
LOGGING = logging_config(LOG_LEVEL)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["core.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["core.authentication.IsCustomer"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "orders-django",
    "DESCRIPTION": (
        "Carts, checkout and orders of the reference shop. Every error answers "
        '`{"error": {"code", "message", "details"}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/(orders|cart)",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.state.Status",
        "ActorEnum": "orders.state.Actor",
    },
    "PREPROCESSING_HOOKS": ["config.urls.public_endpoints_only"],
}

# --- Other services -----------------------------------------------------------------------
# Connect and read timeout for every REST call this service makes (catalog, auth, JWKS).
UPSTREAM_TIMEOUT_SECONDS = env.float("UPSTREAM_TIMEOUT_SECONDS", 5.0)
JWKS_CACHE_SECONDS = env.int("JWKS_CACHE_SECONDS", 300)
JWT_LEEWAY_SECONDS = env.int("JWT_LEEWAY_SECONDS", 10)

# --- Cart and checkout ---------------------------------------------------------------------
CURRENCY = "EUR"
CART_MAX_LINES = env.int("CART_MAX_LINES", 50, minimum=1)
CART_MAX_QUANTITY = env.int("CART_MAX_QUANTITY", 99, minimum=1)
SHIPPING_FLAT_FEE = env.decimal("SHIPPING_FLAT_FEE", "4.90")
SHIPPING_FREE_FROM = env.decimal("SHIPPING_FREE_FROM", "50.00")
# The catalog holds stock for this long; longer than ORDERS_PENDING_TTL_SECONDS so that this
# service cancels a stuck order (and emits order.cancelled) before the catalog's expiry kicks in.
RESERVATION_TTL_SECONDS = env.int("RESERVATION_TTL_SECONDS", 1800, minimum=60)
ORDERS_PENDING_TTL_SECONDS = env.int("ORDERS_PENDING_TTL_SECONDS", 900, minimum=1)
# Keys are kept at least a day; a claim's lease outlives the longest request (gunicorn's
# timeout), so only a dead request's claim is ever taken over.
IDEMPOTENCY_TTL_SECONDS = env.int("IDEMPOTENCY_TTL_SECONDS", 86400, minimum=86400)
IDEMPOTENCY_LEASE_SECONDS = env.int("IDEMPOTENCY_LEASE_SECONDS", 60, minimum=1)
PAYMENT_MAX_ATTEMPTS = env.int("PAYMENT_MAX_ATTEMPTS", 3, minimum=1)
PAYMENT_RETRY_DELAY_SECONDS = env.float("PAYMENT_RETRY_DELAY_SECONDS", 0.2)

# --- Events --------------------------------------------------------------------------------
EVENT_SOURCE = "orders"
EVENT_SUBSCRIPTIONS_FILE = env.str(
    "EVENT_SUBSCRIPTIONS_FILE", str(REPO_DIR / "contracts" / "events" / "subscriptions.json")
)
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", 50, minimum=1)
OUTBOX_IDLE_SECONDS = env.float("OUTBOX_IDLE_SECONDS", 0.2)
OUTBOX_BACKOFF_MAX_SECONDS = env.float("OUTBOX_BACKOFF_MAX_SECONDS", 30.0)
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", 7, minimum=1)
PERIODIC_INTERVAL_SECONDS = env.float("PERIODIC_INTERVAL_SECONDS", 30.0)

# Celery is used only to send: the relay puts `<subscriber>.handle_event` tasks on each
# subscriber's own queue. A send that cannot reach Redis retries briefly, then fails, and the
# relay keeps the row and backs off; nothing is lost because the row stays unpublished.
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
