"""Settings, read from environment variables once at start-up.

`Config` is what every deployment runs, the API process and the Celery worker alike. Nothing
secret has a default, and every missing or malformed variable is collected into one
`ConfigError`, so an operator sees the whole list at once instead of fixing one variable per
restart. `TestConfig` goes through the same checks.
"""

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# services/notify-flask/notify/config.py -> the repository's contracts/events. Containers copy
# the directory in and point EVENT_CONTRACTS_DIR at their copy. (`.parent` rather than
# `.parents[3]`: in an image the package may sit right under `/`, where `.parents[3]` raises
# IndexError at import instead of the configuration error naming EVENT_CONTRACTS_DIR.)
_REPO_DIR = Path(__file__).resolve().parent.parent.parent.parent
DEFAULT_EVENT_CONTRACTS_DIR = _REPO_DIR / "contracts" / "events"
_MIN_SECRET_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """Raised with every configuration problem at once, keyed by variable name."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {name}: {problem}" for name, problem in problems.items())
        super().__init__(f"notify-flask cannot start; fix these environment variables:\n{lines}")


class _Env:
    """Reads typed values from an environment mapping and remembers what was wrong."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.problems: dict[str, str] = {}

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name, "").strip()
        return value or None

    def required(self, name: str) -> str:
        value = self._raw(name)
        if value is None:
            self.problems[name] = "is required"
            return ""
        return value

    def optional(self, name: str) -> str | None:
        return self._raw(name)

    def url(self, name: str, *, schemes: tuple[str, ...]) -> str:
        """A required URL with one of `schemes`, without a trailing slash."""
        value = self.required(name)
        if value and not value.startswith(tuple(f"{scheme}://" for scheme in schemes)):
            self.problems[name] = f"must start with {' or '.join(f'{s}://' for s in schemes)}"
        return value.rstrip("/")

    def integer(self, name: str, *, default: int, minimum: int, maximum: int) -> int:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            self.problems[name] = f"must be a whole number, got {raw!r}"
            return default
        if not minimum <= value <= maximum:
            self.problems[name] = f"must be between {minimum} and {maximum}, got {value}"
            return default
        return value

    def seconds(self, name: str, *, default: float, minimum: float, maximum: float) -> float:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            self.problems[name] = f"must be a number of seconds, got {raw!r}"
            return default
        if not minimum <= value <= maximum:
            self.problems[name] = f"must be between {minimum:g} and {maximum:g}, got {value:g}"
            return default
        return value

    def boolean(self, name: str, *, default: bool) -> bool:
        raw = self._raw(name)
        if raw is None:
            return default
        lowered = raw.lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        self.problems[name] = f"must be true or false, got {raw!r}"
        return default

    def problem(self, name: str, message: str) -> None:
        self.problems[name] = message


def _database_url(env: _Env) -> str:
    url = env.required("DATABASE_URL")
    if url and not url.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg2://")):
        env.problem("DATABASE_URL", "must start with sqlite:/// or postgresql://")
    # The driver we ship is psycopg2; SQLAlchemy 2.1 would pick psycopg (3) for a bare URL.
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg2://" + url.removeprefix("postgresql://")
    return url


def _redis_url(env: _Env) -> str:
    url = env.required("REDIS_URL")
    if url and not url.startswith(("redis://", "rediss://")):
        env.problem("REDIS_URL", "must start with redis:// or rediss://")
    return url


def _secret_key(env: _Env) -> str:
    key = env.required("SECRET_KEY")
    if key and len(key) < _MIN_SECRET_KEY_LENGTH:
        env.problem("SECRET_KEY", f"must be at least {_MIN_SECRET_KEY_LENGTH} characters long")
    return key


def _log_level(env: _Env) -> str:
    level = (env.optional("LOG_LEVEL") or "INFO").upper()
    if level not in logging.getLevelNamesMapping():
        env.problem("LOG_LEVEL", f"must be a logging level such as INFO or DEBUG, got {level!r}")
        return "INFO"
    return level


def _smtp_from(env: _Env) -> str:
    sender = env.required("SMTP_FROM")
    if sender and "@" not in sender:
        env.problem("SMTP_FROM", "must be an address such as 'Shop <shop@example.com>'")
    return sender


def _event_contracts_dir(env: _Env) -> str:
    directory = Path(env.optional("EVENT_CONTRACTS_DIR") or DEFAULT_EVENT_CONTRACTS_DIR)
    if not (directory / "envelope.schema.json").is_file():
        env.problem("EVENT_CONTRACTS_DIR", f"{directory} holds no envelope.schema.json")
    return str(directory)


class Config:
    """Production settings. Uppercase attributes become `app.config` keys."""

    TESTING = False
    # The API takes no request bodies beyond `{}`; anything larger is refused with 413.
    MAX_CONTENT_LENGTH = 16 * 1024
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # User tokens for the public API carry this audience; service tokens never do.
    JWT_AUDIENCE = "shop"
    # The durable Redis list the producers' relays fill (contracts/events/subscriptions.json).
    NOTIFY_QUEUE = "notify"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = _Env(os.environ if environ is None else environ)

        self.SECRET_KEY = _secret_key(env)
        self.SQLALCHEMY_DATABASE_URI = _database_url(env)
        self.REDIS_URL = _redis_url(env)
        self.LOG_LEVEL = _log_level(env)

        # User tokens are verified against auth's published keys.
        self.JWT_ISSUER = env.required("JWT_ISSUER")
        self.AUTH_JWKS_URL = env.url("AUTH_JWKS_URL", schemes=("http", "https"))
        # Peers read over REST with this service's own token.
        self.AUTH_INTERNAL_URL = env.url("AUTH_INTERNAL_URL", schemes=("http", "https"))
        self.ORDERS_INTERNAL_URL = env.url("ORDERS_INTERNAL_URL", schemes=("http", "https"))
        self.SERVICE_CLIENT_ID = env.required("SERVICE_CLIENT_ID")
        self.SERVICE_CLIENT_SECRET = env.required("SERVICE_CLIENT_SECRET")
        self.HTTP_TIMEOUT_SECONDS = env.seconds(
            "HTTP_TIMEOUT_SECONDS", default=5.0, minimum=0.1, maximum=60
        )

        # Outgoing mail, and where its links point.
        self.SMTP_HOST = env.required("SMTP_HOST")
        self.SMTP_PORT = env.integer("SMTP_PORT", default=25, minimum=1, maximum=65535)
        self.SMTP_FROM = _smtp_from(env)
        self.SMTP_USER = env.optional("SMTP_USER")
        self.SMTP_PASSWORD = env.optional("SMTP_PASSWORD")
        self.SMTP_STARTTLS = env.boolean("SMTP_STARTTLS", default=False)
        self.SMTP_TIMEOUT_SECONDS = env.seconds(
            "SMTP_TIMEOUT_SECONDS", default=10.0, minimum=0.1, maximum=120
        )
        if self.SMTP_USER and not self.SMTP_PASSWORD:
            env.problem("SMTP_PASSWORD", "is required when SMTP_USER is set")
        self.SHOP_BASE_URL = env.url("SHOP_BASE_URL", schemes=("http", "https"))
        self.EVENT_CONTRACTS_DIR = _event_contracts_dir(env)

        # Event handling: bounded retries, exponential backoff with full jitter.
        self.NOTIFY_MAX_RETRIES = env.integer(
            "NOTIFY_MAX_RETRIES", default=6, minimum=0, maximum=50
        )
        self.NOTIFY_RETRY_BACKOFF_BASE = env.seconds(
            "NOTIFY_RETRY_BACKOFF_BASE", default=1.0, minimum=0, maximum=3600
        )
        self.NOTIFY_RETRY_BACKOFF_MAX = env.seconds(
            "NOTIFY_RETRY_BACKOFF_MAX", default=60.0, minimum=0, maximum=6 * 3600
        )
        self.NOTIFY_TASK_TIME_LIMIT = env.integer(
            "NOTIFY_TASK_TIME_LIMIT", default=60, minimum=2, maximum=3600
        )
        self.NOTIFY_VISIBILITY_TIMEOUT = env.integer(
            "NOTIFY_VISIBILITY_TIMEOUT", default=3600, minimum=1, maximum=7 * 24 * 3600
        )
        self.NOTIFY_UNACKED_RESTORE_INTERVAL = env.integer(
            "NOTIFY_UNACKED_RESTORE_INTERVAL", default=10, minimum=1, maximum=3600
        )
        # A retried event waits in the worker, reserved but unacknowledged, until its countdown
        # is over (Celery holds ETA messages instead of putting them back in Redis). If Redis's
        # visibility timeout ran out first, Redis would hand the same message to another worker
        # as if the first had died: a duplicate we would have caused ourselves.
        longest_hold = self.NOTIFY_RETRY_BACKOFF_MAX + self.NOTIFY_TASK_TIME_LIMIT
        compared = (
            "NOTIFY_RETRY_BACKOFF_MAX",
            "NOTIFY_TASK_TIME_LIMIT",
            "NOTIFY_VISIBILITY_TIMEOUT",
        )
        if longest_hold >= self.NOTIFY_VISIBILITY_TIMEOUT and not set(compared) & set(env.problems):
            env.problem(
                "NOTIFY_VISIBILITY_TIMEOUT",
                "must be longer than NOTIFY_RETRY_BACKOFF_MAX + NOTIFY_TASK_TIME_LIMIT "
                f"({longest_hold:g} s), got {self.NOTIFY_VISIBILITY_TIMEOUT}",
            )

        if env.problems:
            raise ConfigError(env.problems)

    @property
    def SQLALCHEMY_ENGINE_OPTIONS(self) -> dict[str, Any]:
        # pre_ping replaces connections that died while idle (a database restart).
        options: dict[str, Any] = {"pool_pre_ping": True}
        if self.SQLALCHEMY_DATABASE_URI.startswith("postgresql"):
            # An unreachable database must fail a request or an event quickly, not hang it.
            options["connect_args"] = {"connect_timeout": 3}
        else:
            # SQLite serialises writers (the API and the worker); wait for the lock.
            options["connect_args"] = {"timeout": 15}
        return options


class TestConfig(Config):
    """The production checks, on the environment the test fixtures build."""

    __test__ = False  # not a pytest test class, despite the name

    TESTING = True
