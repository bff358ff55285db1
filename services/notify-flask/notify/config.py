"""Settings, read from the environment once at start-up and checked there.

Every problem is collected first and reported in one `ConfigError` that names each variable,
so a misconfigured process stops before it serves a request or takes a message off the queue.
No secret has a default; `make dev` generates development values into `.data/`.
"""

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# services/notify-flask/notify/config.py -> the repository's contracts/events
DEFAULT_CONTRACTS_DIR = Path(__file__).resolve().parents[3] / "contracts" / "events"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(RuntimeError):
    """The environment does not describe a runnable service; the message names every problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            "notify-flask cannot start, fix these environment variables:\n  - "
            + "\n  - ".join(problems)
        )


class _Env:
    """Reads typed values from a mapping and remembers every problem instead of stopping."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.problems: list[str] = []

    def _raw(self, name: str, default: str | None) -> str | None:
        value = self.environ.get(name, "").strip()
        if value:
            return value
        if default is None:
            self.problems.append(f"{name} is required")
        return default

    def text(self, name: str, default: str | None = None) -> str:
        return self._raw(name, default) or ""

    def optional(self, name: str) -> str | None:
        return self.environ.get(name, "").strip() or None

    def url(self, name: str, *, schemes: tuple[str, ...], default: str | None = None) -> str:
        value = self.text(name, default)
        if value and urlsplit(value).scheme not in schemes:
            self.problems.append(f"{name} must be a URL starting with {' or '.join(schemes)}")
        return value.rstrip("/")

    def _parse(self, name: str, default: str, cast: Callable[[str], Any], minimum: float) -> Any:
        raw = self.text(name, default)
        try:
            value = cast(raw)
        except ValueError:
            self.problems.append(f"{name} must be a number, got {raw!r}")
            return cast(default)
        if value < minimum:
            self.problems.append(f"{name} must be at least {minimum}, got {raw!r}")
        return value

    def integer(self, name: str, default: str, *, minimum: int = 0) -> int:
        return self._parse(name, default, int, minimum)

    def number(self, name: str, default: str, *, minimum: float = 0.0) -> float:
        return self._parse(name, default, float, minimum)

    def boolean(self, name: str, default: str) -> bool:
        raw = self.text(name, default).lower()
        if raw not in {"true", "false", "1", "0", "yes", "no"}:
            self.problems.append(f"{name} must be true or false, got {raw!r}")
        return raw in {"true", "1", "yes"}

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.text(name, default).upper()
        if value not in choices:
            self.problems.append(f"{name} must be one of {', '.join(choices)}, got {value!r}")
        return value


class Config:
    """Production settings: everything from the environment, nothing secret defaulted."""

    TESTING = False
    # Request bodies here are tiny ({} at most); anything bigger is a mistake or an attack.
    MAX_CONTENT_LENGTH = 64 * 1024

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Read and check every setting; raise one ConfigError listing all problems."""
        env = _Env(os.environ if environ is None else environ)
        settings = {
            "TESTING": cls.TESTING,
            "MAX_CONTENT_LENGTH": cls.MAX_CONTENT_LENGTH,
            "SECRET_KEY": env.text("SECRET_KEY"),
            "SQLALCHEMY_DATABASE_URI": _database_url(env),
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            "REDIS_URL": env.url("REDIS_URL", schemes=("redis", "rediss")),
            "LOG_LEVEL": env.choice("LOG_LEVEL", "INFO", LOG_LEVELS),
            "PORT": env.integer("PORT", "8004", minimum=1),
            # Tokens: user tokens are verified against auth's published keys.
            "JWT_ISSUER": env.text("JWT_ISSUER"),
            "JWT_AUDIENCE": "shop",
            "AUTH_JWKS_URL": env.url("AUTH_JWKS_URL", schemes=("http", "https")),
            # Peers called over REST with this service's own token.
            "AUTH_INTERNAL_URL": env.url("AUTH_INTERNAL_URL", schemes=("http", "https")),
            "ORDERS_INTERNAL_URL": env.url("ORDERS_INTERNAL_URL", schemes=("http", "https")),
            "SERVICE_CLIENT_ID": env.text("SERVICE_CLIENT_ID"),
            "SERVICE_CLIENT_SECRET": env.text("SERVICE_CLIENT_SECRET"),
            "HTTP_TIMEOUT": env.number("NOTIFY_HTTP_TIMEOUT", "5", minimum=0.1),
            # Outgoing mail.
            "SMTP_HOST": env.text("SMTP_HOST"),
            "SMTP_PORT": env.integer("SMTP_PORT", "25", minimum=1),
            "SMTP_FROM": env.text("SMTP_FROM"),
            "SMTP_USER": env.optional("SMTP_USER"),
            "SMTP_PASSWORD": env.optional("SMTP_PASSWORD"),
            "SMTP_STARTTLS": env.boolean("SMTP_STARTTLS", "false"),
            "SMTP_TIMEOUT": env.number("SMTP_TIMEOUT", "10", minimum=0.1),
            "SHOP_BASE_URL": env.url("SHOP_BASE_URL", schemes=("http", "https")),
            "EVENT_CONTRACTS_DIR": env.text("EVENT_CONTRACTS_DIR", str(DEFAULT_CONTRACTS_DIR)),
            # Event handling: bounded retries with exponential backoff and full jitter.
            "NOTIFY_QUEUE": "notify",
            "NOTIFY_MAX_RETRIES": env.integer("NOTIFY_MAX_RETRIES", "6", minimum=0),
            "NOTIFY_RETRY_BACKOFF_BASE": env.number("NOTIFY_RETRY_BACKOFF_BASE", "1", minimum=0),
            "NOTIFY_RETRY_BACKOFF_MAX": env.number("NOTIFY_RETRY_BACKOFF_MAX", "60", minimum=0),
            "NOTIFY_TASK_TIME_LIMIT": env.integer("NOTIFY_TASK_TIME_LIMIT", "60", minimum=2),
            "NOTIFY_VISIBILITY_TIMEOUT": env.integer(
                "NOTIFY_VISIBILITY_TIMEOUT", "3600", minimum=1
            ),
            "NOTIFY_UNACKED_RESTORE_INTERVAL": env.integer(
                "NOTIFY_UNACKED_RESTORE_INTERVAL", "10", minimum=1
            ),
        }
        contracts = Path(settings["EVENT_CONTRACTS_DIR"])
        if not (contracts / "envelope.schema.json").is_file():
            env.problems.append(
                f"EVENT_CONTRACTS_DIR={contracts} does not hold envelope.schema.json"
            )
        _check_visibility_timeout(settings, env.problems)
        if env.problems:
            raise ConfigError(env.problems)
        return settings


class TestConfig(Config):
    """Tests: the same checks, on the environment the test fixtures build."""

    TESTING = True


def _database_url(env: _Env) -> str:
    url = env.text("DATABASE_URL")
    if not url:
        return url
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgresql", "postgresql+psycopg2", "postgres"}:
        env.problems.append("DATABASE_URL must be a sqlite:/// or postgresql:// URL")
    # SQLAlchemy dropped the old "postgres://" alias that some hosts still hand out.
    return "postgresql://" + url.removeprefix("postgres://") if scheme == "postgres" else url


def _check_visibility_timeout(settings: dict[str, Any], problems: list[str]) -> None:
    # A retried event waits in the worker, unacknowledged, until its countdown is over (Celery
    # keeps ETA messages reserved rather than putting them back in Redis). If Redis's visibility
    # timeout ran out first, Redis would hand the same message to another worker as if the first
    # one had died: a duplicate delivery we would rather not cause ourselves.
    longest_hold = settings["NOTIFY_RETRY_BACKOFF_MAX"] + settings["NOTIFY_TASK_TIME_LIMIT"]
    if settings["NOTIFY_VISIBILITY_TIMEOUT"] <= longest_hold:
        problems.append(
            "NOTIFY_VISIBILITY_TIMEOUT must be longer than NOTIFY_RETRY_BACKOFF_MAX + "
            f"NOTIFY_TASK_TIME_LIMIT ({longest_hold:g} s), got "
            f"{settings['NOTIFY_VISIBILITY_TIMEOUT']}"
        )
