"""Settings, read from environment variables once at start-up.

`Config` is what every deployment runs. Nothing secret has a default, and every missing or
malformed variable is collected into one `ConfigError`, so an operator sees the whole list at once
instead of fixing one variable per restart. `TestConfig` goes through the same checks and then
makes password hashing cheap and gives each app its own Redis key space.
"""

import json
import logging
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from limits import parse_many

# OWASP Password Storage Cheat Sheet: the minimum argon2id configuration.
ARGON2_OWASP_MINIMUM = {"memory_cost": 19456, "time_cost": 2, "parallelism": 1}

# contracts/events/subscriptions.json of this repository; containers copy it in and point
# EVENT_SUBSCRIPTIONS_FILE at their copy. (`.parent` rather than `.parents[3]`: in an image the
# package may sit right under `/`, where the repository root simply does not exist.)
_REPO_DIR = Path(__file__).resolve().parent.parent.parent.parent
DEFAULT_EVENT_SUBSCRIPTIONS_FILE = _REPO_DIR / "contracts" / "events" / "subscriptions.json"

_CLIENT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# A subscriber's name is also its queue and the prefix of its task name.
_SUBSCRIBER = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
_EVENT_TYPE = re.compile(r"^[a-z]+\.[a-z_]+$")
_MIN_SECRET_KEY_LENGTH = 32
_MIN_CLIENT_SECRET_LENGTH = 16


class ConfigError(RuntimeError):
    """Raised with every configuration problem at once, keyed by variable name."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {name}: {problem}" for name, problem in problems.items())
        super().__init__(f"auth-flask cannot start; fix these environment variables:\n{lines}")


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

    def rate_limit(self, name: str, *, default: str) -> str:
        raw = self._raw(name) or default
        try:
            parse_many(raw)
        except ValueError:
            self.problems[name] = f"must be a rate limit such as '10 per minute', got {raw!r}"
            return default
        return raw

    def problem(self, name: str, message: str) -> None:
        self.problems[name] = message


def _database_url(env: _Env) -> str:
    url = env.required("DATABASE_URL")
    if url.startswith("postgresql://"):
        # Name the driver: SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3, and this
        # service ships psycopg2.
        return "postgresql+psycopg2://" + url.removeprefix("postgresql://")
    if url and not url.startswith(("sqlite:///", "postgresql+psycopg2://")):
        env.problem("DATABASE_URL", "must start with sqlite:/// or postgresql://")
    return url


def _redis_url(env: _Env) -> str:
    url = env.required("REDIS_URL")
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        env.problem("REDIS_URL", "must start with redis://, rediss:// or unix://")
    return url


def _secret_key(env: _Env) -> str:
    key = env.required("SECRET_KEY")
    if key and len(key) < _MIN_SECRET_KEY_LENGTH:
        env.problem("SECRET_KEY", f"must be at least {_MIN_SECRET_KEY_LENGTH} characters long")
    return key


def _service_clients(env: _Env) -> dict[str, str]:
    """Parse `id:secret,id:secret`; an empty value means no service may get a token."""
    raw = env.optional("SERVICE_CLIENTS")
    clients: dict[str, str] = {}
    if raw is None:
        return clients
    for entry in raw.split(","):
        client_id, separator, secret = entry.strip().partition(":")
        if not separator or not _CLIENT_ID.match(client_id):
            env.problem(
                "SERVICE_CLIENTS",
                "must be a comma-separated list of id:secret pairs, ids in lower case "
                "letters, digits, '-' and '_'",
            )
            return {}
        if len(secret) < _MIN_CLIENT_SECRET_LENGTH:
            env.problem(
                "SERVICE_CLIENTS",
                f"the secret of {client_id!r} must be at least "
                f"{_MIN_CLIENT_SECRET_LENGTH} characters long",
            )
            return {}
        if client_id in clients:
            env.problem("SERVICE_CLIENTS", f"{client_id!r} is listed twice")
            return {}
        clients[client_id] = secret
    return clients


def _log_level(env: _Env) -> str:
    level = (env.optional("LOG_LEVEL") or "INFO").upper()
    if level not in logging.getLevelNamesMapping():
        env.problem("LOG_LEVEL", f"must be a logging level such as INFO or DEBUG, got {level!r}")
        return "INFO"
    return level


def _event_subscribers(env: _Env) -> tuple[str, dict[str, tuple[str, ...]]]:
    """Read the subscriptions file into {event type: subscribers}; the path and the mapping."""
    path = env.optional("EVENT_SUBSCRIPTIONS_FILE") or str(DEFAULT_EVENT_SUBSCRIPTIONS_FILE)
    try:
        with open(path, encoding="utf-8") as handle:
            raw = json.load(handle)
    except OSError as exc:
        env.problem("EVENT_SUBSCRIPTIONS_FILE", f"cannot read {path}: {exc.strerror}")
        return path, {}
    except ValueError as exc:
        env.problem("EVENT_SUBSCRIPTIONS_FILE", f"{path} is not valid JSON: {exc}")
        return path, {}
    malformed = (
        f"{path} must map service names to lists of event types, "
        'like {"notify": ["user.registered"]}'
    )
    if not isinstance(raw, dict):
        env.problem("EVENT_SUBSCRIPTIONS_FILE", malformed)
        return path, {}
    by_type: dict[str, list[str]] = {}
    for subscriber, event_types in raw.items():
        if subscriber.startswith("$"):
            continue  # "$comment" and other annotations
        if (
            not _SUBSCRIBER.match(subscriber)
            or not isinstance(event_types, list)
            or not all(isinstance(t, str) and _EVENT_TYPE.match(t) for t in event_types)
        ):
            env.problem("EVENT_SUBSCRIPTIONS_FILE", malformed)
            return path, {}
        for event_type in event_types:
            by_type.setdefault(event_type, []).append(subscriber)
    return path, {event_type: tuple(sorted(names)) for event_type, names in by_type.items()}


def _argon2_cost(env: _Env, name: str, *, minimum: int, maximum: int) -> int:
    return env.integer(name, default=minimum, minimum=minimum, maximum=maximum)


class Config:
    """Production settings. Uppercase attributes become `app.config` keys."""

    TESTING = False
    # Bodies here are small JSON documents; anything larger is refused with 413 before parsing.
    MAX_CONTENT_LENGTH = 16 * 1024
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # Every Redis key this app writes starts with this, so services can share one Redis.
    REDIS_KEY_PREFIX = "auth"
    RATELIMIT_STRATEGY = "fixed-window"
    # Retry-After is set by errors.py, rounded up so a client never retries too early.
    RATELIMIT_HEADERS_ENABLED = False
    # How long the relay's send of one event insists on an unreachable broker before it gives
    # up and backs off (kombu's retry policy: a few tries, about half a second apart). A send
    # that fails leaves its row in the outbox, so giving up early loses nothing.
    OUTBOX_PUBLISH_RETRY_POLICY = {
        "max_retries": 3,
        "interval_start": 0,
        "interval_step": 0.5,
        "interval_max": 2,
    }
    OUTBOX_BROKER_TIMEOUT_SECONDS = 2.0

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = _Env(os.environ if environ is None else environ)

        self.SECRET_KEY = _secret_key(env)
        self.SQLALCHEMY_DATABASE_URI = _database_url(env)
        self.REDIS_URL = _redis_url(env)
        self.JWT_ISSUER = env.required("JWT_ISSUER")
        self.JWT_PRIVATE_KEY_FILE = env.required("JWT_PRIVATE_KEY_FILE")
        self.JWT_PREVIOUS_KEY_FILE = env.optional("JWT_PREVIOUS_KEY_FILE")
        self.SERVICE_CLIENTS = _service_clients(env)
        self.COOKIE_SECURE = env.boolean("COOKIE_SECURE", default=True)
        self.LOG_LEVEL = _log_level(env)

        self.ACCESS_TOKEN_TTL_SECONDS = env.integer(
            "ACCESS_TOKEN_TTL_SECONDS", default=900, minimum=60, maximum=900
        )
        self.REFRESH_TOKEN_TTL_SECONDS = env.integer(
            "REFRESH_TOKEN_TTL_SECONDS", default=14 * 24 * 3600, minimum=300, maximum=90 * 24 * 3600
        )

        self.RATE_LIMIT_LOGIN = env.rate_limit("RATE_LIMIT_LOGIN", default="10 per minute")
        self.RATE_LIMIT_REGISTER = env.rate_limit("RATE_LIMIT_REGISTER", default="10 per minute")
        self.RATE_LIMIT_SERVICE_TOKEN = env.rate_limit(
            "RATE_LIMIT_SERVICE_TOKEN", default="60 per minute"
        )
        self.LOGIN_LOCKOUT_THRESHOLD = env.integer(
            "LOGIN_LOCKOUT_THRESHOLD", default=5, minimum=1, maximum=100
        )
        self.LOGIN_LOCKOUT_BASE_SECONDS = env.integer(
            "LOGIN_LOCKOUT_BASE_SECONDS", default=60, minimum=1, maximum=3600
        )
        self.LOGIN_LOCKOUT_MAX_SECONDS = env.integer(
            "LOGIN_LOCKOUT_MAX_SECONDS", default=900, minimum=1, maximum=24 * 3600
        )
        self.LOGIN_FAILURE_WINDOW_SECONDS = env.integer(
            "LOGIN_FAILURE_WINDOW_SECONDS", default=900, minimum=1, maximum=24 * 3600
        )
        if self.LOGIN_LOCKOUT_MAX_SECONDS < self.LOGIN_LOCKOUT_BASE_SECONDS:
            env.problem(
                "LOGIN_LOCKOUT_MAX_SECONDS", "must not be smaller than LOGIN_LOCKOUT_BASE_SECONDS"
            )
        self.TRUSTED_PROXY_COUNT = env.integer(
            "TRUSTED_PROXY_COUNT", default=1, minimum=0, maximum=5
        )

        self.EVENT_SUBSCRIPTIONS_FILE, self.EVENT_SUBSCRIBERS = _event_subscribers(env)
        self.OUTBOX_BATCH_SIZE = env.integer(
            "OUTBOX_BATCH_SIZE", default=50, minimum=1, maximum=1000
        )
        self.OUTBOX_IDLE_SECONDS = (
            env.integer("OUTBOX_IDLE_MS", default=200, minimum=10, maximum=60_000) / 1000
        )
        self.OUTBOX_BACKOFF_MAX_SECONDS = float(
            env.integer("OUTBOX_BACKOFF_MAX_SECONDS", default=30, minimum=1, maximum=3600)
        )

        self.ARGON2_MEMORY_COST_KIB = _argon2_cost(
            env,
            "ARGON2_MEMORY_COST_KIB",
            minimum=ARGON2_OWASP_MINIMUM["memory_cost"],
            maximum=4 * 1024 * 1024,
        )
        self.ARGON2_TIME_COST = _argon2_cost(
            env, "ARGON2_TIME_COST", minimum=ARGON2_OWASP_MINIMUM["time_cost"], maximum=20
        )
        self.ARGON2_PARALLELISM = _argon2_cost(
            env, "ARGON2_PARALLELISM", minimum=ARGON2_OWASP_MINIMUM["parallelism"], maximum=16
        )

        if env.problems:
            raise ConfigError(env.problems)

    # Settings derived from the ones above, under the names the Flask extensions read.

    @property
    def SQLALCHEMY_ENGINE_OPTIONS(self) -> dict[str, Any]:
        # pre_ping replaces connections that died while idle (a database restart).
        options: dict[str, Any] = {"pool_pre_ping": True}
        if self.SQLALCHEMY_DATABASE_URI.startswith("postgresql"):
            # An unreachable database must fail a request (and /readyz) quickly, not hang it.
            options["connect_args"] = {"connect_timeout": 3}
        else:
            # SQLite serialises writers; wait for the lock instead of failing at once.
            options["connect_args"] = {"timeout": 15}
        return options

    @property
    def RATELIMIT_STORAGE_URI(self) -> str:
        return self.REDIS_URL

    @property
    def RATELIMIT_STORAGE_OPTIONS(self) -> dict[str, Any]:
        return {
            "key_prefix": f"{self.REDIS_KEY_PREFIX}:limits",
            "socket_timeout": 2,
            "socket_connect_timeout": 2,
        }


class TestConfig(Config):
    """The production checks, then cheap hashing, a Redis key space of the app's own, and a
    relay that gives up on a missing broker at once."""

    __test__ = False  # not a pytest test class, despite the name

    TESTING = True

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(environ)
        # Test speed only: one test asserts that Config keeps the OWASP minimum.
        self.ARGON2_MEMORY_COST_KIB = 1024
        self.ARGON2_TIME_COST = 1
        self.ARGON2_PARALLELISM = 1
        self.REDIS_KEY_PREFIX = f"auth-test-{secrets.token_hex(6)}"
        # Test speed only: broker outages are simulated, waiting for them proves nothing.
        self.OUTBOX_PUBLISH_RETRY_POLICY = {
            "max_retries": 1,
            "interval_start": 0,
            "interval_step": 0.1,
            "interval_max": 0.1,
        }
        self.OUTBOX_BROKER_TIMEOUT_SECONDS = 0.5
