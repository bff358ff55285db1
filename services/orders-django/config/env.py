"""Reading the environment once, at start-up, and failing with one message that names every
missing or malformed variable (rather than the first one, one restart at a time)."""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

_MISSING = object()


class Env:
    def __init__(self) -> None:
        self._env = environ.Env()
        self.errors: list[str] = []

    def _read(self, name: str, default: Any, parse: Callable[[str], Any], kind: str) -> Any:
        raw = self._env.str(name, default=None)
        if raw is None or raw == "":
            if default is _MISSING:
                self.errors.append(f"{name} is required ({kind})")
                return None
            return default
        try:
            return parse(raw)
        except (ValueError, InvalidOperation, environ.ImproperlyConfigured):
            self.errors.append(f"{name}={raw!r} is not a valid {kind}")
            return default if default is not _MISSING else None

    def str(self, name: str, default: Any = _MISSING) -> str:
        return self._read(name, default, lambda raw: raw, "string")

    def int(self, name: str, default: Any = _MISSING, *, minimum: int = 0) -> int:
        def parse(raw: str) -> int:
            value = int(raw)
            if value < minimum:
                raise ValueError(raw)
            return value

        return self._read(name, default, parse, f"integer >= {minimum}")

    def float(self, name: str, default: Any = _MISSING) -> float:
        def parse(raw: str) -> float:
            value = float(raw)
            if value < 0:
                raise ValueError(raw)
            return value

        return self._read(name, default, parse, "number >= 0")

    def decimal(self, name: str, default: Any = _MISSING) -> Decimal:
        def parse(raw: str) -> Decimal:
            value = Decimal(raw)
            if not value.is_finite() or value < 0:
                raise ValueError(raw)
            return value

        return self._read(name, default, parse, "decimal amount >= 0")

    def bool(self, name: str, default: Any = _MISSING) -> bool:
        def parse(raw: str) -> bool:
            lowered = raw.strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)

        return self._read(name, default, parse, "boolean (true/false)")

    def list(self, name: str, default: Any = _MISSING) -> list[str]:
        def parse(raw: str) -> list[str]:
            return [item.strip() for item in raw.split(",") if item.strip()]

        return self._read(name, default, parse, "comma-separated list")

    def url(self, name: str, default: Any = _MISSING) -> str:
        def parse(raw: str) -> str:
            if not raw.startswith(("http://", "https://")):
                raise ValueError(raw)
            return raw.rstrip("/")

        return self._read(name, default, parse, "http(s) URL")

    def database(self, name: str, default: Any = _MISSING) -> dict:
        def parse(raw: str) -> dict:
            if not raw.startswith(("sqlite://", "postgres://", "postgresql://")):
                raise ValueError(raw)
            return environ.Env.db_url_config(raw)

        parsed_default = default
        if isinstance(default, str):
            parsed_default = environ.Env.db_url_config(default)
        return self._read(name, parsed_default, parse, "database URL (sqlite:/// or postgresql://)")

    def check(self) -> None:
        if self.errors:
            lines = "\n  - ".join(self.errors)
            raise ImproperlyConfigured(f"orders-django cannot start:\n  - {lines}")


env = Env()
