"""Configuration comes from the environment and fails fast, naming every problem at once."""

import os
import subprocess
import sys
from pathlib import Path

SERVICE_DIR = Path(__file__).resolve().parents[2]


def _manage_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"]}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=SERVICE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_its_variables_names_every_missing_one():
    result = _manage_check({"DJANGO_SETTINGS_MODULE": "config.settings.production"})

    assert result.returncode != 0
    assert "orders-django cannot start" in result.stderr
    for name in (
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
        "JWT_ISSUER",
        "AUTH_JWKS_URL",
        "AUTH_INTERNAL_URL",
        "CATALOG_URL",
        "SERVICE_CLIENT_ID",
        "SERVICE_CLIENT_SECRET",
    ):
        assert name in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_values_are_named_and_never_echoed():
    result = _manage_check(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "too-short-secret",
            "CATALOG_URL": "ftp://catalog",
            "ORDERS_PENDING_TTL_SECONDS": "soon",
        }
    )

    assert result.returncode != 0
    assert "SECRET_KEY is malformed" in result.stderr
    assert "CATALOG_URL is malformed" in result.stderr
    assert "ORDERS_PENDING_TTL_SECONDS is malformed" in result.stderr
    assert "too-short-secret" not in result.stderr


def test_a_complete_production_environment_starts(tmp_path):
    result = _manage_check(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "orders",
            "DATABASE_URL": f"sqlite:///{tmp_path}/orders.sqlite3",
            "REDIS_URL": "redis://redis:6379/0",
            "JWT_ISSUER": "https://shop.example",
            "AUTH_JWKS_URL": "http://auth:8001/.well-known/jwks.json",
            "AUTH_INTERNAL_URL": "http://auth:8001",
            "CATALOG_URL": "http://catalog:8002",
            "SERVICE_CLIENT_ID": "orders",
            "SERVICE_CLIENT_SECRET": "s" * 32,
        }
    )

    assert result.returncode == 0, result.stderr
