"""The service's own commands as separate processes, with production settings."""

import os
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

SERVICE_DIR = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The test database, as the production settings read it."""
    params = connection.settings_dict
    password = f":{quote(params['PASSWORD'], safe='')}" if params["PASSWORD"] else ""
    return (
        f"postgresql://{quote(params['USER'], safe='')}{password}"
        f"@{params['HOST']}:{params['PORT']}/{params['NAME']}"
    )


def production_environ(**overrides: str) -> dict[str, str]:
    keep = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "w" * 64,
        "ALLOWED_HOSTS": "catalog",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "JWT_ISSUER": "http://auth.test",
        "AUTH_JWKS_URL": "http://127.0.0.1:9/.well-known/jwks.json",
        "PYTHONPATH": str(SERVICE_DIR),
        **overrides,
    }
