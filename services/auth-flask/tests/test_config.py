import os
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import extract_parameters

from auth import create_app
from auth.config import (
    ARGON2_OWASP_MINIMUM,
    DEFAULT_EVENT_SUBSCRIPTIONS_FILE,
    Config,
    ConfigError,
    TestConfig,
)
from auth.keys import KeyFileError
from auth.passwords import password_hasher

SERVICE_DIR = Path(__file__).resolve().parent.parent
REQUIRED = ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "JWT_ISSUER", "JWT_PRIVATE_KEY_FILE"]


def test_one_error_names_every_missing_variable():
    with pytest.raises(ConfigError) as raised:
        Config({})

    assert set(raised.value.problems) == set(REQUIRED)
    for name in REQUIRED:
        assert f"{name}: is required" in str(raised.value)


def test_malformed_values_are_named_with_the_reason(base_environ):
    environ = {
        **base_environ,
        "DATABASE_URL": "mysql://db/auth",
        "REDIS_URL": "localhost:6379",
        "SECRET_KEY": "short",
        "ACCESS_TOKEN_TTL_SECONDS": "3600",
        "REFRESH_TOKEN_TTL_SECONDS": "soon",
        "COOKIE_SECURE": "maybe",
        "SERVICE_CLIENTS": "orders=secret",
        "RATE_LIMIT_LOGIN": "lots",
        "LOG_LEVEL": "LOUD",
        "ARGON2_MEMORY_COST_KIB": "1024",
        "TRUSTED_PROXY_COUNT": "-1",
        "OUTBOX_BATCH_SIZE": "0",
        "OUTBOX_IDLE_MS": "fast",
    }

    with pytest.raises(ConfigError) as raised:
        Config(environ)

    problems = raised.value.problems
    assert set(problems) == {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "ACCESS_TOKEN_TTL_SECONDS",
        "REFRESH_TOKEN_TTL_SECONDS",
        "COOKIE_SECURE",
        "SERVICE_CLIENTS",
        "RATE_LIMIT_LOGIN",
        "LOG_LEVEL",
        "ARGON2_MEMORY_COST_KIB",
        "TRUSTED_PROXY_COUNT",
        "OUTBOX_BATCH_SIZE",
        "OUTBOX_IDLE_MS",
    }
    assert problems["ACCESS_TOKEN_TTL_SECONDS"] == "must be between 60 and 900, got 3600"
    assert problems["ARGON2_MEMORY_COST_KIB"] == "must be between 19456 and 4194304, got 1024"


@pytest.mark.parametrize(
    ("clients", "problem"),
    [
        ("orders:short", "at least 16 characters"),
        ("Orders:orders-secret-0123456789", "lower case"),
        ("orders:orders-secret-0123456789,orders:orders-secret-abcdefghij", "listed twice"),
    ],
)
def test_service_clients_are_checked(base_environ, clients, problem):
    with pytest.raises(ConfigError, match=problem):
        Config({**base_environ, "SERVICE_CLIENTS": clients})


def test_service_clients_are_parsed(base_environ):
    config = Config(
        {**base_environ, "SERVICE_CLIENTS": " a:aaaaaaaaaaaaaaaa , b:bbbb:bbbbbbbbbbbb"}
    )

    assert config.SERVICE_CLIENTS == {"a": "aaaaaaaaaaaaaaaa", "b": "bbbb:bbbbbbbbbbbb"}


def test_defaults_are_the_documented_ones(base_environ):
    environ = {
        key: value
        for key, value in base_environ.items()
        if key in {*REQUIRED, "JWT_PREVIOUS_KEY_FILE"}
    }

    config = Config(environ)

    assert config.ACCESS_TOKEN_TTL_SECONDS == 900
    assert config.REFRESH_TOKEN_TTL_SECONDS == 14 * 24 * 3600
    assert config.COOKIE_SECURE is True
    assert config.TRUSTED_PROXY_COUNT == 1
    assert config.SERVICE_CLIENTS == {}
    assert config.RATE_LIMIT_LOGIN == "10 per minute"
    assert config.MAX_CONTENT_LENGTH == 16 * 1024
    assert config.SQLALCHEMY_DATABASE_URI.startswith("postgresql+psycopg2://")
    assert str(DEFAULT_EVENT_SUBSCRIPTIONS_FILE) == config.EVENT_SUBSCRIPTIONS_FILE
    assert config.EVENT_SUBSCRIBERS["user.registered"] == ("notify",)
    assert config.OUTBOX_BATCH_SIZE == 50
    assert config.OUTBOX_IDLE_SECONDS == 0.2
    assert config.OUTBOX_BACKOFF_MAX_SECONDS == 30


def test_the_subscriptions_file_gives_each_event_type_its_subscribers(base_environ, tmp_path):
    path = tmp_path / "subscriptions.json"
    path.write_text(
        '{"$comment": "x", "notify": ["user.registered"], "audit": ["user.registered"]}'
    )

    config = Config({**base_environ, "EVENT_SUBSCRIPTIONS_FILE": str(path)})

    assert config.EVENT_SUBSCRIBERS == {"user.registered": ("audit", "notify")}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "cannot read"),
        ("{not json", "is not valid JSON"),
        ('["notify"]', "must map service names to lists of event types"),
        ('{"notify": "user.registered"}', "must map service names to lists of event types"),
        ('{"Notify Service": ["user.registered"]}', "must map service names"),
        ('{"notify": ["UserRegistered"]}', "must map service names"),
    ],
)
def test_a_missing_or_malformed_subscriptions_file_stops_the_start(
    base_environ, tmp_path, content, problem
):
    path = tmp_path / "subscriptions.json"
    if content is not None:
        path.write_text(content)

    with pytest.raises(ConfigError) as raised:
        Config({**base_environ, "EVENT_SUBSCRIPTIONS_FILE": str(path)})

    assert set(raised.value.problems) == {"EVENT_SUBSCRIPTIONS_FILE"}
    assert problem in raised.value.problems["EVENT_SUBSCRIPTIONS_FILE"]
    assert str(path) in raised.value.problems["EVENT_SUBSCRIPTIONS_FILE"]


def test_production_password_hashing_meets_the_owasp_minimum(base_environ, make_app):
    config = Config(base_environ)
    assert config.ARGON2_MEMORY_COST_KIB >= ARGON2_OWASP_MINIMUM["memory_cost"] == 19456
    assert config.ARGON2_TIME_COST >= ARGON2_OWASP_MINIMUM["time_cost"] == 2
    assert config.ARGON2_PARALLELISM >= ARGON2_OWASP_MINIMUM["parallelism"] == 1

    app = make_app()
    app.config.from_object(config)
    with app.app_context():
        parameters = extract_parameters(password_hasher().hash("Correct-Horse-Battery-9"))

    assert parameters.type.name == "ID"
    assert parameters.memory_cost == 19456
    assert parameters.time_cost == 2
    assert parameters.parallelism == 1


def test_test_config_only_lowers_the_hashing_cost(base_environ):
    assert ARGON2_OWASP_MINIMUM["memory_cost"] > TestConfig(base_environ).ARGON2_MEMORY_COST_KIB


def test_the_app_refuses_to_serve_without_a_usable_signing_key(base_environ, tmp_path):
    broken = tmp_path / "broken.pem"
    broken.write_text("not a key")

    for path in (tmp_path / "missing.pem", broken):
        with pytest.raises(KeyFileError):
            create_app(TestConfig({**base_environ, "JWT_PRIVATE_KEY_FILE": str(path)}))


def test_starting_without_configuration_prints_every_missing_variable():
    environ = {"PATH": os.environ["PATH"]}

    result = subprocess.run(
        [sys.executable, "-c", "from auth import create_app; create_app()"],
        cwd=SERVICE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "auth-flask cannot start; fix these environment variables:" in result.stderr
    for name in REQUIRED:
        assert f"{name}: is required" in result.stderr
