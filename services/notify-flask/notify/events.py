"""Consuming events: the contracts they are checked against and the parsed `Event`.

The JSON Schemas are the language-neutral contract in `contracts/events/` (env
`EVENT_CONTRACTS_DIR`; containers copy the directory in). An envelope is checked first, then its
`data` against `<type>.v<version>.schema.json`, formats included (uuid, date-time, email), so a
producer that breaks the contract is caught here and its event goes to the dead letters instead
of half-working.
"""

import json
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from notify.errors import InvalidEvent

# What this service subscribes to (contracts/events/subscriptions.json, "notify"); each one has
# e-mail templates and an inbox text. A test keeps the two lists equal.
HANDLED_EVENT_TYPES = frozenset(
    {
        "user.registered",
        "order.placed",
        "order.paid",
        "order.payment_failed",
        "order.cancelled",
        "order.shipped",
        "order.delivered",
    }
)


@dataclass(frozen=True)
class Event:
    id: uuid.UUID
    type: str
    version: int
    source: str
    time: str
    correlation_id: str | None
    data: dict[str, Any]


def _describe(error: SchemaError) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "(root)"
    return f"{where}: {error.message}"


def _validator(path: Path) -> Draft202012Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


class EventContracts:
    """The envelope schema and one schema per event type and version, read from a directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.envelope = _validator(directory / "envelope.schema.json")
        self._data: dict[tuple[str, int], Draft202012Validator | None] = {}

    def data_validator(self, event_type: str, version: int) -> Draft202012Validator | None:
        key = (event_type, version)
        if key not in self._data:
            path = self.directory / f"{event_type}.v{version}.schema.json"
            self._data[key] = _validator(path) if path.is_file() else None
        return self._data[key]

    def parse(self, envelope: Any) -> Event:
        """Check an envelope and its data against the contracts; raise InvalidEvent if broken."""
        errors = sorted(self.envelope.iter_errors(envelope), key=lambda e: list(e.absolute_path))
        if errors:
            raise InvalidEvent(
                "the envelope breaks its schema", errors=[_describe(e) for e in errors]
            )
        event_type, version = envelope["type"], envelope["version"]
        if event_type not in HANDLED_EVENT_TYPES:
            raise InvalidEvent("not an event this service handles", errors=[event_type])
        validator = self.data_validator(event_type, version)
        if validator is None:
            raise InvalidEvent("no schema for this event", errors=[f"{event_type} v{version}"])
        errors = sorted(validator.iter_errors(envelope["data"]), key=lambda e: list(e.path))
        if errors:
            raise InvalidEvent(
                f"the data of {event_type} v{version} breaks its schema",
                errors=[f"data/{_describe(e)}" for e in errors],
            )
        return Event(
            id=uuid.UUID(envelope["id"]),
            type=event_type,
            version=version,
            source=envelope["source"],
            time=envelope["time"],
            correlation_id=envelope["correlation_id"],
            data=envelope["data"],
        )


@lru_cache(maxsize=4)
def load_contracts(directory: str) -> EventContracts:
    """One parsed set of schemas per process (the files do not change while it runs)."""
    return EventContracts(Path(directory))


def event_id_of(envelope: Any) -> uuid.UUID | None:
    """The envelope's id if it has a usable one, for dead letters of broken envelopes."""
    try:
        return uuid.UUID(str(envelope["id"]))
    except (TypeError, KeyError, ValueError):
        return None


def event_type_of(envelope: Any) -> str | None:
    try:
        value = envelope["type"]
    except (TypeError, KeyError):
        return None
    return value[:64] if isinstance(value, str) else None
