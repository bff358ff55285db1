"""Configuration comes from the environment only and fails fast, naming every problem."""

import os
import subprocess
import sys

import pytest

from notify.config import Config, ConfigError, TestConfig

REQUIRED = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "JWT_ISSUER",
    "AUTH_JWKS_URL",
    "AUTH_INTERNAL_URL",
    "ORDERS_INTERNAL_URL",
    "SERVICE_CLIENT_ID",
    "SERVICE_CLIENT_SECRET",
    "SMTP_HOST",
    "SMTP_FROM",
    "SHOP_BASE_URL",
}


def test_an_empty_environment_names_every_required_variable():
    with pytest.raises(ConfigError) as raised:
        Config({})

    assert set(raised.value.problems) == REQUIRED
    for name in REQUIRED:
        assert name in str(raised.value)


def test_the_test_environment_is_complete(base_environ):
    config = TestConfig(base_environ)

    assert config.TESTING is True
    assert config.JWT_AUDIENCE == "shop"
    # psycopg2 is the driver we ship; a bare postgresql:// URL is pinned to it.
    assert config.SQLALCHEMY_DATABASE_URI.startswith("postgresql+psycopg2://")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://db/notify"),
        ("REDIS_URL", "localhost:6379"),
        ("SECRET_KEY", "short"),
        ("AUTH_JWKS_URL", "auth/.well-known/jwks.json"),
        ("SHOP_BASE_URL", "shop.example"),
        ("SMTP_PORT", "twenty-five"),
        ("SMTP_PORT", "70000"),
        ("SMTP_FROM", "nobody"),
        ("SMTP_STARTTLS", "maybe"),
        ("LOG_LEVEL", "LOUD"),
        ("NOTIFY_MAX_RETRIES", "-1"),
        ("NOTIFY_RETRY_BACKOFF_MAX", "soon"),
        ("EVENT_CONTRACTS_DIR", "/nonexistent"),
    ],
)
def test_a_malformed_value_is_named(base_environ, name, value):
    with pytest.raises(ConfigError) as raised:
        Config({**base_environ, name: value})

    assert list(raised.value.problems) == [name]


def test_the_visibility_timeout_must_outlast_the_longest_retry_wait(base_environ):
    environ = {
        **base_environ,
        "NOTIFY_RETRY_BACKOFF_MAX": "60",
        "NOTIFY_TASK_TIME_LIMIT": "60",
        "NOTIFY_VISIBILITY_TIMEOUT": "120",
    }

    with pytest.raises(ConfigError) as raised:
        Config(environ)

    assert "NOTIFY_VISIBILITY_TIMEOUT" in raised.value.problems
    assert Config({**environ, "NOTIFY_VISIBILITY_TIMEOUT": "121"})


def test_an_smtp_user_needs_a_password(base_environ):
    with pytest.raises(ConfigError) as raised:
        Config({**base_environ, "SMTP_USER": "mailer"})

    assert list(raised.value.problems) == ["SMTP_PASSWORD"]


def test_the_worker_refuses_to_start_without_its_configuration(service_dir):
    environ = {key: value for key, value in os.environ.items() if key not in REQUIRED}

    result = subprocess.run(
        [sys.executable, "-c", "import notify.celery_app"],
        cwd=service_dir,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "notify-flask cannot start" in result.stderr
    for name in REQUIRED:
        assert name in result.stderr
