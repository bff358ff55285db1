"""Configuration comes from the environment and fails fast with one message naming every problem."""

import os
import subprocess
import sys
from pathlib import Path

SERVICE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "SECRET_KEY": "p" * 64,
    "ALLOWED_HOSTS": "catalog,localhost",
    "DATABASE_URL": "postgresql://catalog:secret@db:5432/catalog",
    "REDIS_URL": "redis://redis:6379/0",
    "JWT_ISSUER": "http://auth",
    "AUTH_JWKS_URL": "http://auth:8001/.well-known/jwks.json",
}


def _settings_process(env: dict[str, str], module: str = "config.settings.production"):
    keep = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=SERVICE_DIR,
        env={**keep, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_environment_names_every_missing_variable_at_once():
    result = _settings_process({})

    assert result.returncode == 1
    for name in PRODUCTION_ENV:
        assert f"{name} is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_rejects_malformed_values():
    result = _settings_process(
        {**PRODUCTION_ENV, "SECRET_KEY": "too-short", "DATABASE_URL": "nonsense", "LOG_LEVEL": "x"}
    )

    assert result.returncode == 1
    assert "SECRET_KEY is malformed" in result.stderr
    assert "DATABASE_URL is malformed" in result.stderr
    assert "LOG_LEVEL is malformed" in result.stderr
    assert "ALLOWED_HOSTS" not in result.stderr


def test_production_starts_with_a_complete_environment():
    result = _settings_process(PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr


def test_dev_needs_only_the_generated_secret_and_the_issuer(tmp_path):
    missing = _settings_process({}, module="config.settings.dev")
    complete = _settings_process(
        {"SECRET_KEY": "d" * 40, "JWT_ISSUER": "http://localhost", "DATA_DIR": str(tmp_path)},
        module="config.settings.dev",
    )

    assert "SECRET_KEY is not set" in missing.stderr
    assert "JWT_ISSUER is not set" in missing.stderr
    assert complete.returncode == 0, complete.stderr


def test_production_checks_the_event_settings(tmp_path):
    result = _settings_process(
        {
            **PRODUCTION_ENV,
            "EVENT_CONTRACTS_DIR": str(tmp_path),
            "CATALOG_EVENT_MAX_ATTEMPTS": "0",
            "CATALOG_RESERVATION_SWEEP_SECONDS": "often",
        }
    )

    assert result.returncode == 1
    assert "EVENT_CONTRACTS_DIR is malformed" in result.stderr
    assert "CATALOG_EVENT_MAX_ATTEMPTS is malformed" in result.stderr
    assert "CATALOG_RESERVATION_SWEEP_SECONDS is malformed" in result.stderr


def test_the_visibility_timeout_must_outlast_the_longest_retry_wait_and_the_time_limit():
    # A retried event waits unacknowledged in the worker for up to the backoff cap, then runs
    # for up to the time limit; Redis must not hand it to another worker meanwhile.
    timings = {
        "CATALOG_EVENT_RETRY_BACKOFF_MAX": "60",
        "CELERY_TASK_TIME_LIMIT": "60",
    }
    too_short = _settings_process({**PRODUCTION_ENV, **timings, "CELERY_VISIBILITY_TIMEOUT": "120"})
    enough = _settings_process({**PRODUCTION_ENV, **timings, "CELERY_VISIBILITY_TIMEOUT": "121"})

    assert too_short.returncode == 1
    assert "CELERY_VISIBILITY_TIMEOUT must be longer than" in too_short.stderr
    assert "(120 seconds)" in too_short.stderr
    assert enough.returncode == 0, enough.stderr


def test_the_worker_without_environment_names_every_missing_variable_at_once():
    keep = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "catalog"],
        cwd=SERVICE_DIR,
        env={**keep, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    for name in PRODUCTION_ENV:
        assert f"{name} is not set" in result.stderr
    assert "Traceback" not in result.stderr
