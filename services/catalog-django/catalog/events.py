"""Consuming events: checking them against the contracts, applying each once, dead letters.

Events come from the producers' outbox relays on the `catalog` queue; `catalog.tasks` is the
Celery adapter. Delivery is at least once, so applying an event (`event_handle`) is safe to
repeat:

1. The envelope, then its `data`, are checked against the JSON Schemas in EVENT_CONTRACTS_DIR
   (formats included). A broken event cannot get better by retrying: `InvalidEvent`.
2. In ONE transaction: a `ProcessedEvent` row for the event id, then the effect. A redelivered
   event finds the row and changes nothing; a concurrent duplicate waits on the row's primary
   key until the first commits, then finds it.

What each event does in the checkout saga (orders decides, the catalog holds the stock):
- `order.paid` commits the order's reservation (reserved -> sold);
- `order.payment_failed` releases it (reserved -> on_hand);
- `order.cancelled` releases it; a committed one gives its sold units back (sold -> on_hand).

What the catalog cannot do is rejected at once (`EventRejected`: a dead letter for a person to
look at) instead of retried, because no retry would change it:
- `order.paid` for an order without a reservation, or whose reservation was released or expired:
  the customer paid for units that are back on sale, and someone has to refund the order or
  reserve the units by hand;
- `order.payment_failed` for a committed reservation: a payment failure never undoes a sale.
A release for an order the catalog holds nothing for has nothing left to do (no stock is held,
which is all a release asks): it is logged and recorded as handled, not dead-lettered.
"""

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from catalog.models import DeadLetter, ProcessedEvent
from catalog.services import reservation_commit, reservation_release
from config.celery import app as celery_app
from shopcore.exceptions import ConflictError, NotFoundError

logger = logging.getLogger(__name__)


class EventRejected(Exception):
    """Retrying cannot help: the event or what it asks for is wrong. It becomes a dead letter."""


class InvalidEvent(EventRejected):
    """The envelope or its data break the published JSON Schemas."""

    def __init__(self, message: str, *, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(f"{message}: {'; '.join(errors)}")


@dataclass(frozen=True)
class Event:
    id: uuid.UUID
    type: str
    version: int
    data: dict[str, Any]


# -- the contracts --------------------------------------------------------------------------------


def _validator(path: Path) -> Draft202012Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _describe(error: SchemaError, prefix: str = "") -> str:
    where = "/".join(str(part) for part in error.absolute_path)
    return f"{prefix}{where or '(root)'}: {error.message}"


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

    def parse(self, envelope: Any, *, handled_types: frozenset[str]) -> Event:
        """Check an envelope and its data; raise InvalidEvent naming every problem."""
        errors = sorted(self.envelope.iter_errors(envelope), key=lambda e: list(e.absolute_path))
        if errors:
            raise InvalidEvent(
                "the envelope breaks its schema", errors=[_describe(e) for e in errors]
            )
        event_type, version = envelope["type"], envelope["version"]
        if event_type not in handled_types:
            raise InvalidEvent("not an event the catalog consumes", errors=[event_type])
        validator = self.data_validator(event_type, version)
        if validator is None:
            raise InvalidEvent("no schema for this event", errors=[f"{event_type} v{version}"])
        errors = sorted(validator.iter_errors(envelope["data"]), key=lambda e: list(e.path))
        if errors:
            raise InvalidEvent(
                f"the data of {event_type} v{version} breaks its schema",
                errors=[_describe(e, prefix="data/") for e in errors],
            )
        return Event(
            id=uuid.UUID(envelope["id"]), type=event_type, version=version, data=envelope["data"]
        )


@lru_cache(maxsize=4)
def contracts_load(directory: str) -> EventContracts:
    """One parsed set of schemas per process: the files do not change while it runs."""
    return EventContracts(Path(directory))


def event_id_of(envelope: Any) -> uuid.UUID | None:
    """The envelope's id if it has a usable one (a broken envelope may not)."""
    try:
        return uuid.UUID(str(envelope["id"]))
    except (TypeError, KeyError, ValueError):
        return None


def event_type_of(envelope: Any) -> str:
    try:
        value = envelope["type"]
    except (TypeError, KeyError):
        return ""
    return value[:64] if isinstance(value, str) else ""


# -- what each event does -------------------------------------------------------------------------


def _order_paid(data: dict[str, Any]) -> None:
    order_id = data["order_id"]
    try:
        reservation_commit(order_id=order_id)
    except NotFoundError as exc:
        raise EventRejected(
            f"order {order_id} is paid, but the catalog holds no reservation for it"
        ) from exc
    except ConflictError as exc:
        raise EventRejected(
            f"order {order_id} is paid, but its units are back on sale: {exc.message} "
            "Refund the order or reserve its units by hand."
        ) from exc


def _order_payment_failed(data: dict[str, Any]) -> None:
    try:
        _release(data["order_id"], keep_sold=True)
    except ConflictError as exc:
        raise EventRejected(
            f"order {data['order_id']} failed to pay, but {exc.message} "
            "A payment failure does not undo a sale."
        ) from exc


def _order_cancelled(data: dict[str, Any]) -> None:
    _release(data["order_id"], keep_sold=False)


def _release(order_id: str, *, keep_sold: bool) -> None:
    try:
        reservation_release(order_id=order_id, keep_sold=keep_sold)
    except NotFoundError:
        logger.warning("no reservation for order %s; nothing to release", order_id)


# The event types the catalog subscribes to (contracts/events/subscriptions.json, "catalog");
# a test keeps the two lists equal.
HANDLERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "order.paid": _order_paid,
    "order.payment_failed": _order_payment_failed,
    "order.cancelled": _order_cancelled,
}

HandleOutcome = Literal["handled", "duplicate"]


def event_parse(envelope: Any) -> Event:
    """Check an envelope against the contracts; InvalidEvent if it breaks them."""
    contracts = contracts_load(str(settings.EVENT_CONTRACTS_DIR))
    return contracts.parse(envelope, handled_types=frozenset(HANDLERS))


def event_handle(*, envelope: Any) -> HandleOutcome:
    """Apply an event at most once: its effect and its ProcessedEvent row commit together."""
    event = event_parse(envelope)
    with transaction.atomic():
        _limit_statement_time()
        try:
            with transaction.atomic():
                ProcessedEvent.objects.create(event_id=event.id, event_type=event.type)
        except IntegrityError:
            logger.info("event %s (%s) was handled before; ignoring it", event.id, event.type)
            return "duplicate"
        HANDLERS[event.type](event.data)
    logger.info("event %s (%s) handled for order %s", event.id, event.type, event.data["order_id"])
    return "handled"


def _limit_statement_time() -> None:
    """Let PostgreSQL cancel a statement that waits too long (on a lock held elsewhere).

    The error is retried like any transient failure, well inside the soft time limit. Without
    it, a statement could wait until the hard limit kills the process, and the message would
    go back to the queue without counting as an attempt.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        milliseconds = int(settings.CELERY_TASK_TIME_LIMIT * 1000 * 0.4)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = %s", [milliseconds])


# -- dead letters ---------------------------------------------------------------------------------


def dead_letter_record(*, envelope: Any, error: str, attempts: int) -> DeadLetter:
    """Keep an event that cannot be handled, with why, so that it can be replayed later."""
    return DeadLetter.objects.create(
        event_id=event_id_of(envelope),
        event_type=event_type_of(envelope),
        envelope=envelope,
        error=error[:4000],
        attempts=attempts,
    )


def dead_letter_replay(*, dead_letter_id: int, force: bool = False) -> DeadLetter:
    """Put the event back on the catalog queue; deduplication on its id still holds."""
    with transaction.atomic():
        letter = DeadLetter.objects.select_for_update().filter(pk=dead_letter_id).first()
        if letter is None:
            raise NotFoundError(f"There is no dead letter {dead_letter_id}.")
        if letter.replayed_at is not None and not force:
            raise ConflictError(
                f"Dead letter {dead_letter_id} was replayed at "
                f"{letter.replayed_at:%Y-%m-%d %H:%M:%S} UTC; pass --force to replay it again."
            )
        # Published first, marked second: a crash in between leaves it listed, and replaying
        # it once more is harmless because the consumer deduplicates.
        celery_app.send_task(
            "catalog.handle_event",
            args=[letter.envelope],
            queue=settings.CATALOG_EVENT_QUEUE,
            retry=True,
        )
        letter.replayed_at = timezone.now()
        letter.save(update_fields=["replayed_at"])
    return letter
