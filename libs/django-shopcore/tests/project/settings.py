"""A small Django service wired to shopcore the way catalog-django and orders-django are.

PostgreSQL and Redis come from testenv (throwaway servers started by `python -m testenv run`,
or privately for this process); the `sqlite` alias lets the migration operations run on the
embedded database too.
"""

import environ

import testenv
from shopcore.env import EnvReader
from shopcore.logging import logging_config

env = EnvReader("shopcore-tests")

DEBUG = False
SECRET_KEY = "test-only-key-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# The public prefix: the health probes are also answered under it.
API_PREFIX = "api/things/"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    "drf_spectacular",
    "shopcore",
    "tests.project",
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

ROOT_URLCONF = "tests.project.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
APPEND_SLASH = False
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024

DATABASES = {
    "default": {
        **environ.Env.db_url_config(testenv.postgres_url("shopcore")),
        # Tests run in transactions that roll back; a kept connection would only hide leaks.
        "CONN_MAX_AGE": 0,
    },
    "sqlite": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
}
# Database 5 of the run's Redis: the services' suites use other numbers.
REDIS_URL = testenv.redis_url(5)

LOGGING = logging_config(env.log_level())

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["shopcore.authentication.JwtAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "shopcore.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "shopcore-tests",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

JWT_ISSUER = "https://auth.shop.test"
JWT_ALGORITHMS = ["RS256"]
JWT_AUDIENCE = "shop"
JWT_INTERNAL_AUDIENCE = "shop-internal"
JWT_LEEWAY_SECONDS = 10
JWKS_CACHE_SECONDS = 300
JWKS_TIMEOUT_SECONDS = 3
JWKS_REFRESH_COOLDOWN_SECONDS = 30
# Replaced per test by the address of a JWKS served from a key made for the run.
AUTH_JWKS_URL = "http://127.0.0.1:9/.well-known/jwks.json"

env.check()
