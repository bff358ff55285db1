"""The environment is read once, every problem is collected, and one error names them all."""

from pathlib import Path

import pytest

from shopcore.env import ConfigurationError, EnvReader


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
    assert message.startswith("svc cannot start: fix these environment variables")
    for name in ("MISSING", "PORT_COUNT", "FLAG", "URL", "LEVEL"):
        assert name in message
    assert "DB" not in message


def test_reader_parses_values():
    env = EnvReader(
        "svc",
        {
            "N": "7",
            "ON": "yes",
            "OFF": "0",
            "HOSTS": " a.example , b.example ",
            "ORIGINS": "http://localhost:8080",
            "DB": "postgresql://u:p@h:5432/name",
            "LEVEL": "debug",
            "HOME_DIR": "~/data",
            "SECRET_KEY": "s" * 50,
            "JWKS": "https://auth.example/.well-known/jwks.json",
        },
    )

    assert env.int("N", minimum=1) == 7
    assert env.bool("ON") is True
    assert env.bool("OFF") is False
    assert env.list("HOSTS") == ["a.example", "b.example"]
    assert env.origins("ORIGINS") == ["http://localhost:8080"]
    assert env.database("DB")["NAME"] == "name"
    assert env.log_level("LEVEL") == "DEBUG"
    assert env.path("HOME_DIR") == Path("~/data").expanduser()
    assert env.secret("SECRET_KEY", min_length=50) == "s" * 50
    assert env.url("JWKS", schemes=("https",)) == "https://auth.example/.well-known/jwks.json"
    assert env.str("ABSENT", default="fallback") == "fallback"
    env.check()


def test_a_database_default_is_parsed_like_a_value():
    env = EnvReader("svc", {})

    config = env.database("DATABASE_URL", default="sqlite:////srv/shop/shop.sqlite3")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/srv/shop/shop.sqlite3"


def test_blank_values_count_as_missing():
    env = EnvReader("svc", {"SECRET_KEY": "   ", "HOSTS": " , "})

    env.secret("SECRET_KEY")
    env.list("HOSTS")

    with pytest.raises(ConfigurationError) as raised:
        env.check()
    assert "SECRET_KEY is not set" in str(raised.value)
    assert "HOSTS is malformed" in str(raised.value)


def test_secrets_are_never_echoed():
    env = EnvReader("svc", {"SECRET_KEY": "short-secret-value", "DB": "mysql://u:pw@h/db"})

    env.secret("SECRET_KEY", min_length=50)
    env.database("DB")

    with pytest.raises(ConfigurationError) as raised:
        env.check()
    assert "short-secret-value" not in str(raised.value)
    assert "pw" not in str(raised.value)


def test_origins_must_be_scheme_and_host_only():
    env = EnvReader("svc", {"WITH_PATH": "https://shop.example/app", "NO_SCHEME": "shop.example"})

    env.origins("WITH_PATH")
    env.origins("NO_SCHEME")

    with pytest.raises(ConfigurationError) as raised:
        env.check()
    assert "WITH_PATH is malformed" in str(raised.value)
    assert "NO_SCHEME is malformed" in str(raised.value)


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


def test_a_problem_the_readers_cannot_see_is_named_with_the_others():
    env = EnvReader("svc", {"LOW": "-1"})

    env.int("LOW", minimum=0)
    env.problem("TIMEOUT must be longer than RETRY_MAX (60 seconds)")

    with pytest.raises(ConfigurationError) as raised:
        env.check()
    lines = str(raised.value).splitlines()
    assert lines[1:] == [
        "  - LOW is malformed (expected an integer >= 0)",
        "  - TIMEOUT must be longer than RETRY_MAX (60 seconds)",
    ]
