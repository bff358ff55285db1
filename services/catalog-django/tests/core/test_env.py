"""Configuration comes from the environment and fails fast with one message naming every problem."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import ConfigurationError, EnvReader

SERVICE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "SECRET_KEY": "p" * 64,
    "ALLOWED_HOSTS": "catalog,localhost",
    "DATABASE_URL": "postgresql://catalog:secret@db:5432/catalog",
    "REDIS_URL": "redis://redis:6379/0",
    "JWT_ISSUER": "http://auth",
    "AUTH_JWKS_URL": "http://auth:8001/.well-known/jwks.json",
}


def test_reader_collects_every_problem_before_failing():
    env = EnvReader(
        "svc",
        {"PORT_COUNT": "many", "FLAG": "perhaps", "URL": "ftp://x", "LEVEL": "LOUD"},
    )

    env.str("MISSING")
    env.int("PORT_COUNT")
    env.bool("FLAG")
    env.url("URL", schemes=("http", "https"))
    env.log_level("LEVEL")
    env.database("DB", default=None)

    with pytest.raises(ConfigurationError) as raised:
        env.check()
    message = str(raised.value)
    for name in ("MISSING", "PORT_COUNT", "FLAG", "URL", "LEVEL"):
        assert name in message
    assert "DB" not in message


def test_reader_parses_values():
    env = EnvReader(
        "svc",
        {
            "N": "7",
            "ON": "yes",
            "HOSTS": " a.example , b.example ",
            "ORIGINS": "http://localhost:8080",
            "DB": "postgresql://u:p@h:5432/name",
        },
    )

    assert env.int("N", minimum=1) == 7
    assert env.bool("ON") is True
    assert env.list("HOSTS") == ["a.example", "b.example"]
    assert env.origins("ORIGINS") == ["http://localhost:8080"]
    assert env.database("DB")["NAME"] == "name"
    assert env.str("ABSENT", default="fallback") == "fallback"
    env.check()


def test_secrets_are_never_echoed():
    env = EnvReader("svc", {"SECRET_KEY": "short-secret-value", "DB": "mysql://u:pw@h/db"})

    env.secret("SECRET_KEY", min_length=50)
    env.database("DB")

    with pytest.raises(ConfigurationError) as raised:
        env.check()
    assert "short-secret-value" not in str(raised.value)
    assert "pw" not in str(raised.value)


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


def test_reader_parses_numbers_and_directories(tmp_path):
    (tmp_path / "marker.json").write_text("{}")
    env = EnvReader(
        "svc",
        {"BASE": "0.25", "NAN": "nan", "LOW": "-1", "DIR": str(tmp_path), "EMPTY_DIR": "/"},
    )

    assert env.float("BASE", minimum=0) == 0.25
    assert env.float("ABSENT", default=60.0) == 60.0
    assert env.directory("DIR", containing="marker.json") == tmp_path
    env.float("NAN")
    env.float("LOW", minimum=0)
    env.directory("EMPTY_DIR", containing="marker.json")
    env.directory("DEFAULT_DIR", default=tmp_path / "missing", containing="marker.json")

    with pytest.raises(ConfigurationError) as raised:
        env.check()
    message = str(raised.value)
    for name in ("NAN", "LOW", "EMPTY_DIR", "DEFAULT_DIR"):
        assert f"{name} is malformed" in message
    assert "BASE" not in message


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
