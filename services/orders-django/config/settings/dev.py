"""Development (`make dev`): SQLite under .data/ and the local ports of the other services.

Secrets are not made here: the dev runner generates SECRET_KEY and the client secret into
.data/ on first start and passes them in the environment, like every other value a
deployment would set.
"""

from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import database_settings, env

_REPO_ROOT = Path(__file__).resolve().parents[4]

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.secret("SECRET_KEY", min_length=32)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

DATA_DIR = env.path("DATA_DIR", default=_REPO_ROOT / ".data")
DATABASES = {
    "default": database_settings(
        env.database("DATABASE_URL", default=f"sqlite:///{DATA_DIR}/orders.sqlite3")
    )
}
if DATABASES["default"] and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

REDIS_URL = env.url("REDIS_URL", default="redis://127.0.0.1:6379/0", schemes=("redis", "rediss"))
CELERY_BROKER_URL = REDIS_URL

JWT_ISSUER = env.str("JWT_ISSUER")
AUTH_JWKS_URL = env.url(
    "AUTH_JWKS_URL",
    default="http://127.0.0.1:8001/.well-known/jwks.json",
    schemes=("http", "https"),
)
AUTH_INTERNAL_URL = env.url(
    "AUTH_INTERNAL_URL", default="http://127.0.0.1:8001", schemes=("http", "https")
)
CATALOG_URL = env.url("CATALOG_URL", default="http://127.0.0.1:8002", schemes=("http", "https"))
SERVICE_CLIENT_ID = env.str("SERVICE_CLIENT_ID", default="orders")
SERVICE_CLIENT_SECRET = env.secret("SERVICE_CLIENT_SECRET", min_length=16)

env.check()
