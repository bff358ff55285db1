"""Containers and any shared deployment: every connection setting and secret must be given."""

from config.env import env
from config.settings.base import *  # noqa: F403

DEBUG = False

SECRET_KEY = env.str("SECRET_KEY")
DATABASES = {"default": env.database("DATABASE_URL")}
REDIS_URL = env.str("REDIS_URL")
JWT_ISSUER = env.str("JWT_ISSUER")
AUTH_JWKS_URL = env.url("AUTH_JWKS_URL")
AUTH_INTERNAL_URL = env.url("AUTH_INTERNAL_URL")
CATALOG_URL = env.url("CATALOG_URL")
SERVICE_CLIENT_ID = env.str("SERVICE_CLIENT_ID")
SERVICE_CLIENT_SECRET = env.str("SERVICE_CLIENT_SECRET")

if DATABASES["default"]:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CELERY_BROKER_URL = REDIS_URL

# TLS ends at the gateway, which says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

env.check()
