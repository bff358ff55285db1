"""Reading the environment once, collecting every problem, and failing with one message.

Settings modules call the typed readers below. A missing or malformed variable does not stop
the import at once: it is recorded, and `check()` at the end of the settings module raises one
`ConfigurationError` that names every problem, so a deployer fixes them all in one go. Values
are never echoed back, because some of them are secrets.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_DATABASE_SCHEMES = ("postgres", "postgresql", "sqlite")


class ConfigurationError(ImproperlyConfigured):
    """The environment does not describe a runnable service."""


class EnvReader:
    """Typed access to `os.environ` that records problems instead of raising them one by one."""

    def __init__(self, service: str, environ_: os._Environ[str] | dict[str, str] | None = None):
        self.service = service
        self._environ = os.environ if environ_ is None else environ_
        self.problems: list[str] = []

    # -- readers -----------------------------------------------------------------------------

    def str(self, name: str, default: Any = REQUIRED) -> Any:
        return self._read(name, default, "a non-empty string", lambda raw: raw)

    def secret(self, name: str, *, min_length: int = 1) -> Any:
        def parse(raw: str) -> str:
            if len(raw) < min_length:
                raise ValueError(f"at least {min_length} characters")
            return raw

        return self._read(name, REQUIRED, f"a secret of at least {min_length} characters", parse)

    def int(self, name: str, default: Any = REQUIRED, *, minimum: int | None = None) -> Any:
        def parse(raw: str) -> int:
            value = int(raw)
            if minimum is not None and value < minimum:
                raise ValueError(f"below {minimum}")
            return value

        bound = f" >= {minimum}" if minimum is not None else ""
        return self._read(name, default, f"an integer{bound}", parse)

    def float(self, name: str, default: Any = REQUIRED, *, minimum: float | None = None) -> Any:
        def parse(raw: str) -> float:
            value = float(raw)
            if not math.isfinite(value):
                raise ValueError("not a finite number")
            if minimum is not None and value < minimum:
                raise ValueError(f"below {minimum}")
            return value

        bound = f" >= {minimum:g}" if minimum is not None else ""
        return self._read(name, default, f"a number{bound}", parse)

    def bool(self, name: str, default: Any = REQUIRED) -> Any:
        def parse(raw: str) -> bool:
            lowered = raw.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError("not a boolean")

        return self._read(name, default, "true or false", parse)

    def list(self, name: str, default: Any = REQUIRED) -> Any:
        def parse(raw: str) -> list[str]:
            items = [item.strip() for item in raw.split(",") if item.strip()]
            if not items:
                raise ValueError("empty list")
            return items

        return self._read(name, default, "a comma-separated list", parse)

    def choice(self, name: str, choices: Sequence[str], default: Any = REQUIRED) -> Any:
        def parse(raw: str) -> str:
            value = raw.strip().upper()
            if value not in choices:
                raise ValueError("not a choice")
            return value

        return self._read(name, default, f"one of {', '.join(choices)}", parse)

    def url(self, name: str, default: Any = REQUIRED, *, schemes: Sequence[str]) -> Any:
        def parse(raw: str) -> str:
            parts = urlsplit(raw)
            if parts.scheme not in schemes or not parts.netloc:
                raise ValueError("bad URL")
            return raw

        described = " or ".join(f"{scheme}://" for scheme in schemes)
        return self._read(name, default, f"a {described} URL", parse)

    def origins(self, name: str, default: Any = REQUIRED) -> Any:
        def parse(raw: str) -> list[str]:
            origins = [item.strip() for item in raw.split(",") if item.strip()]
            for origin in origins:
                parts = urlsplit(origin)
                if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
                    raise ValueError("bad origin")
            return origins

        return self._read(name, default, "a comma-separated list of scheme://host[:port]", parse)

    def path(self, name: str, default: Any = REQUIRED) -> Any:
        return self._read(name, default, "a path", lambda raw: Path(raw).expanduser())

    def directory(self, name: str, default: Any = REQUIRED, *, containing: str) -> Any:
        """A directory that must hold the file `containing` (checked for the default too)."""
        directory = self.path(name, default)
        if directory is not None and not (Path(directory) / containing).is_file():
            self.problems.append(f"{name} is malformed (expected a directory with {containing})")
            return None
        return directory

    def problem(self, message: str) -> None:
        """Record a problem the typed readers cannot see, such as two values that disagree."""
        self.problems.append(message)

    def database(self, name: str, default: Any = REQUIRED) -> Any:
        """A Django DATABASES entry parsed from a URL (django-environ's parser)."""

        def parse(raw: str) -> dict[str, Any]:
            if urlsplit(raw).scheme not in _DATABASE_SCHEMES:
                raise ValueError("unsupported scheme")
            return environ.Env.db_url_config(raw)

        described = "a database URL (postgresql://user:password@host:port/name or sqlite:///path)"
        if isinstance(default, str):
            default = environ.Env.db_url_config(default)
        return self._read(name, default, described, parse)

    def log_level(self, name: str = "LOG_LEVEL", default: str = "INFO") -> Any:
        return self.choice(name, _LOG_LEVELS, default=default)

    # -- the one place that fails ---------------------------------------------------------------

    def check(self) -> None:
        """Raise one error naming every missing or malformed variable, if there are any."""
        if self.problems:
            lines = "\n".join(f"  - {problem}" for problem in self.problems)
            raise ConfigurationError(
                f"{self.service} cannot start: fix these environment variables\n{lines}"
            )

    def _read(self, name: str, default: Any, described: str, parse: Callable[[str], T]) -> Any:
        raw = self._environ.get(name, "")
        if raw.strip() == "":
            if default is REQUIRED:
                self.problems.append(f"{name} is not set (expected {described})")
                return None
            return default
        try:
            return parse(raw.strip())
        except (ValueError, KeyError, ImproperlyConfigured):
            self.problems.append(f"{name} is malformed (expected {described})")
            return None
