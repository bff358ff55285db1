"""Production: every value comes from the environment, and no secret has a default."""

from config.settings.base import *  # noqa: F403
from config.settings.base import database_settings, env

DEBUG = False

SECRET_KEY = env.secret("SECRET_KEY", min_length=50)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.origins("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {"default": database_settings(env.database("DATABASE_URL"))}
REDIS_URL = env.url("REDIS_URL", schemes=("redis", "rediss"))

JWT_ISSUER = env.str("JWT_ISSUER")
AUTH_JWKS_URL = env.url("AUTH_JWKS_URL", schemes=("http", "https"))

# TLS ends at the gateway or the ingress, which says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

env.check()
