"""Development (`make dev`): SQLite under .data/ and the local ports of the other services.

Secrets are not made here: the dev runner generates SECRET_KEY into .data/ on first start and
passes it in the environment, like every other value a deployment would set.
"""

from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import database_settings, env

_REPO_ROOT = Path(__file__).resolve().parents[4]

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.secret("SECRET_KEY", min_length=32)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.origins(
    "CSRF_TRUSTED_ORIGINS", default=["http://localhost:8080", "http://127.0.0.1:8080"]
)

DATA_DIR = env.path("DATA_DIR", default=_REPO_ROOT / ".data")
DATABASES = {
    "default": database_settings(
        env.database("DATABASE_URL", default=f"sqlite:///{DATA_DIR}/catalog.sqlite3")
    )
}
if DATABASES["default"] and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

REDIS_URL = env.url("REDIS_URL", default="redis://127.0.0.1:6379/0", schemes=("redis", "rediss"))

JWT_ISSUER = env.str("JWT_ISSUER")
AUTH_JWKS_URL = env.url(
    "AUTH_JWKS_URL",
    default="http://127.0.0.1:8001/.well-known/jwks.json",
    schemes=("http", "https"),
)

env.check()
