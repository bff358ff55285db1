"""Settings shared by every environment.

Only values that are safe everywhere live here. Each environment module (dev, test,
production) adds what differs: the secret key, the database, Redis, the token issuer and its
keys, the allowed hosts, and ends with `env.check()`, which fails with one message naming every
missing or malformed variable.
"""

from pathlib import Path
from typing import Any

from shopcore.env import EnvReader
from shopcore.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = EnvReader("catalog-django")

# The public prefix the gateway routes to this service; the API is served under it unchanged.
API_PREFIX = "api/catalog/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "shopcore",
    "catalog",
]

MIDDLEWARE = [
    "shopcore.middleware.RequestIdMiddleware",
    "shopcore.middleware.AccessLogMiddleware",
    "shopcore.middleware.HealthCheckMiddleware",
    "shopcore.middleware.JsonErrorMiddleware",
    "shopcore.middleware.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# An API answers with 404 instead of redirecting: a redirected POST would lose its body.
APPEND_SLASH = False

# Request bodies above this size are answered with 413 before anything reads them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# The Django admin (for staff) lives under the public prefix so the gateway routes it; its
# cookies are scoped there and named after the service, because every service shares the
# gateway's host name.
STATIC_URL = f"/{API_PREFIX}static/"
# WhiteNoise serves the admin's files straight from the installed apps: no collectstatic step.
WHITENOISE_USE_FINDERS = True
# Only the Django admin shows messages, and its pages always have a session: keeping messages
# there spares every API request the signed-cookie storage Django builds first by default
# (5 % of the CPU of a cached catalog read).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_NAME = "catalog_session"
SESSION_COOKIE_PATH = f"/{API_PREFIX}"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "catalog_csrftoken"
CSRF_COOKIE_PATH = f"/{API_PREFIX}"
LOGIN_URL = f"/{API_PREFIX}django-admin/login/"

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOG_LEVEL = env.log_level()
LOGGING = logging_config(LOG_LEVEL)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["shopcore.authentication.JwtAuthentication"],
    # Deny by default: every view states who may call it.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "catalog.api.negotiation.FastContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "shopcore.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "catalog-django",
    "DESCRIPTION": (
        "Categories, products, prices, stock and reservations of the reference shop. "
        "Public reads need no token; admin writes need a user token with the admin role; "
        "/internal/ endpoints need a service token (audience shop-internal, role service)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ReservationStatusEnum": "catalog.models.Reservation.Status",
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
# An unknown `kid` fetches the key set again, but at most this often (a flood of made-up kids
# must not turn into a flood of requests to auth-flask).
JWKS_REFRESH_COOLDOWN_SECONDS = 30

# How long the gateway and browsers may reuse an anonymous catalog read without asking.
CATALOG_CACHE_MAX_AGE = env.int("CATALOG_CACHE_MAX_AGE", default=5, minimum=0)

# Rendered bodies of the public reads, keyed by the catalog version (catalog/api/caching.py).
# In each process's memory: a hit costs a dictionary lookup instead of a round trip to Redis,
# which would cost about as much CPU as the rest of the read. At most 500 bodies per process,
# the least recently used go first: a page of 24 products is about 6.5 kB, a page of 100 about
# 27 kB, so 3 MB as the shop's pages are usually asked and 14 MB at worst. No timeout: a body
# stays right for as long as its version is the current one.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "catalog_reads": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "catalog-reads",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 500, "CULL_FREQUENCY": 10},
    },
}
# Product images never change for a given product name and category; let caches keep them.
CATALOG_IMAGE_MAX_AGE = 86400
# A reservation holds stock this long unless the caller asks for another ttl.
CATALOG_RESERVATION_TTL_SECONDS = env.int(
    "CATALOG_RESERVATION_TTL_SECONDS", default=900, minimum=60
)
# Celery beat sends the expiry of overdue reservations this often.
CATALOG_RESERVATION_SWEEP_SECONDS = env.int(
    "CATALOG_RESERVATION_SWEEP_SECONDS", default=30, minimum=1
)

# -- events consumed (catalog/events.py, catalog/tasks.py; config/celery.py says why) -----------
# The JSON Schemas every event is checked against; containers copy the directory in.
EVENT_CONTRACTS_DIR = env.directory(
    "EVENT_CONTRACTS_DIR",
    default=BASE_DIR.parent.parent / "contracts" / "events",
    containing="envelope.schema.json",
)
# The Redis list the producers' relays fill for this service (contracts/events/subscriptions.json).
CATALOG_EVENT_QUEUE = "catalog"
# A failing event is tried at most this many times, waiting random(0, min(MAX, BASE * 2**n))
# seconds before try n + 2 (exponential backoff with full jitter); then it is a dead letter.
CATALOG_EVENT_MAX_ATTEMPTS = env.int("CATALOG_EVENT_MAX_ATTEMPTS", default=6, minimum=1)
CATALOG_EVENT_RETRY_BACKOFF_BASE = env.float(
    "CATALOG_EVENT_RETRY_BACKOFF_BASE", default=1.0, minimum=0
)
CATALOG_EVENT_RETRY_BACKOFF_MAX = env.float(
    "CATALOG_EVENT_RETRY_BACKOFF_MAX", default=60.0, minimum=0
)
# Seconds one task may run: the soft limit (80 %) raises inside the task and is retried like
# any transient error; the hard limit kills the process and the message goes back to Redis.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=60, minimum=2)
# Seconds Redis waits for the acknowledgement of a message it handed out before it gives the
# message to another worker. A retried event sits unacknowledged in the worker until its
# countdown is over, so this must be longer than the longest countdown plus the time limit.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600, minimum=1)
# Seconds between a worker's looks for messages whose visibility timeout is over.
CELERY_UNACKED_RESTORE_INTERVAL = env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10, minimum=1)
if None not in (CATALOG_EVENT_RETRY_BACKOFF_MAX, CELERY_TASK_TIME_LIMIT, CELERY_VISIBILITY_TIMEOUT):
    _longest_hold = CATALOG_EVENT_RETRY_BACKOFF_MAX + CELERY_TASK_TIME_LIMIT
    if _longest_hold >= CELERY_VISIBILITY_TIMEOUT:
        env.problem(
            "CELERY_VISIBILITY_TIMEOUT must be longer than CATALOG_EVENT_RETRY_BACKOFF_MAX + "
            f"CELERY_TASK_TIME_LIMIT ({_longest_hold:g} seconds)"
        )


def database_settings(config: dict[str, Any] | None) -> dict[str, Any] | None:
    """Complete a parsed DATABASE_URL with the connection behaviour every environment wants."""
    if config is None:
        return None
    config = {**config}
    if config["ENGINE"].endswith("sqlite3"):
        # WAL and a busy timeout let gunicorn's threads share one SQLite file; IMMEDIATE
        # transactions take the write lock up front instead of failing half-way.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    else:
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
        config["OPTIONS"] = {"connect_timeout": 3}
    return config
