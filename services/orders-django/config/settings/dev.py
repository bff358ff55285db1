"""`make dev` and local runs: the same variables as production, with local defaults.

The secret key is generated into .data/ on first start and never committed; the defaults
point at the ports `make dev` uses (auth 8001, catalog 8002).
"""

import secrets

from config.env import env
from config.settings.base import *  # noqa: F403
from config.settings.base import REPO_DIR

DEBUG = env.bool("DEBUG", False)

DATA_DIR = REPO_DIR / ".data"


def _local_secret(name: str) -> str:
    path = DATA_DIR / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", None) or _local_secret("orders-secret-key")
DATABASES = {"default": env.database("DATABASE_URL", f"sqlite:///{DATA_DIR / 'orders.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for the writer instead of failing at once when gunicorn threads, the relay and the
    # periodic loop write at the same time.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
REDIS_URL = env.str("REDIS_URL", "redis://127.0.0.1:6379/0")
JWT_ISSUER = env.str("JWT_ISSUER", "http://localhost:8080")
AUTH_JWKS_URL = env.url("AUTH_JWKS_URL", "http://127.0.0.1:8001/.well-known/jwks.json")
AUTH_INTERNAL_URL = env.url("AUTH_INTERNAL_URL", "http://127.0.0.1:8001")
CATALOG_URL = env.url("CATALOG_URL", "http://127.0.0.1:8002")
SERVICE_CLIENT_ID = env.str("SERVICE_CLIENT_ID", "orders")
SERVICE_CLIENT_SECRET = env.str("SERVICE_CLIENT_SECRET", None) or _local_secret(
    "orders-service-secret"
)
CELERY_BROKER_URL = REDIS_URL

env.check()
