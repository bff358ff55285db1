"""Production: every value comes from the environment, and no secret has a default."""

from config.settings.base import *  # noqa: F403
from config.settings.base import database_settings, env

DEBUG = False

SECRET_KEY = env.secret("SECRET_KEY", min_length=50)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

DATABASES = {"default": database_settings(env.database("DATABASE_URL"))}
REDIS_URL = env.url("REDIS_URL", schemes=("redis", "rediss"))
CELERY_BROKER_URL = REDIS_URL

JWT_ISSUER = env.str("JWT_ISSUER")
AUTH_JWKS_URL = env.url("AUTH_JWKS_URL", schemes=("http", "https"))
AUTH_INTERNAL_URL = env.url("AUTH_INTERNAL_URL", schemes=("http", "https"))
CATALOG_URL = env.url("CATALOG_URL", schemes=("http", "https"))
SERVICE_CLIENT_ID = env.str("SERVICE_CLIENT_ID")
SERVICE_CLIENT_SECRET = env.secret("SERVICE_CLIENT_SECRET", min_length=16)

# TLS ends at the gateway or the ingress, which says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

env.check()
