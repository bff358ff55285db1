"""Events this service publishes (`user.registered`), through a transactional outbox and a relay.

Writing: `event_record()` adds the event to the `outbox_events` table in the session's current
transaction, so the change it reports and the event commit together or not at all.

Publishing: `outbox_relay()` (run by `flask --app auth outbox relay`) takes unpublished rows
oldest first, sends one Celery task `<subscriber>.handle_event` per subscriber of the event's type
(from EVENT_SUBSCRIPTIONS_FILE) to that subscriber's own queue, and marks the rows published. A
crash after sending and before the mark commits sends the event again on the next pass: delivery
is at least once, and consumers deduplicate on the event id.
"""

import logging
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from auth.extensions import db, event_broker
from auth.logging import current_request_id
from auth.models import OutboxEvent, utcnow

logger = logging.getLogger(__name__)

EVENT_SOURCE = "auth"
ENVELOPE_VERSION = 1
_MAX_ERROR_LENGTH = 2000


def event_record(
    *,
    type: str,
    data: dict[str, Any],
    version: int = ENVELOPE_VERSION,
    at: datetime | None = None,
) -> OutboxEvent:
    """Add an event to the outbox; the caller's commit publishes it with the change it reports."""
    at = (at or utcnow()).astimezone(UTC)
    event_id = uuid.uuid4()
    envelope = {
        "id": str(event_id),
        "type": type,
        "version": version,
        "source": EVENT_SOURCE,
        "time": at.isoformat().replace("+00:00", "Z"),
        "correlation_id": current_request_id(),
        "data": data,
    }
    event = OutboxEvent(id=event_id, type=type, version=version, payload=envelope, created_at=at)
    db.session.add(event)
    return event


def subscribers_for(event_type: str) -> tuple[str, ...]:
    return current_app.config["EVENT_SUBSCRIBERS"].get(event_type, ())


def event_publish(envelope: dict[str, Any]) -> tuple[str, ...]:
    """Send the envelope to every subscriber's queue; returns the subscribers it went to.

    Redis has the message once `send_task` returns; a send that cannot reach Redis is retried
    within OUTBOX_PUBLISH_RETRY_POLICY and then raises.
    """
    subscribers = subscribers_for(envelope["type"])
    for subscriber in subscribers:
        event_broker.celery.send_task(
            f"{subscriber}.handle_event",
            args=[envelope],
            queue=subscriber,
            retry=True,
            retry_policy=current_app.config["OUTBOX_PUBLISH_RETRY_POLICY"],
        )
    return subscribers


class OutboxPublishError(Exception):
    """The broker refused the event or could not be reached; it stays in the outbox."""


def _outbox_mark_published(event: OutboxEvent) -> None:
    event.published_at = utcnow()
    event.last_error = None


def outbox_publish_batch(*, batch_size: int | None = None) -> int:
    """Publish up to `batch_size` unpublished events, oldest first, and mark them published.

    The rows stay locked (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has one writer anyway)
    until the marks commit, so relays running side by side never send the same row at the same
    time. Stops at the first failure, so events leave in the order they were written; the marks
    of the events sent before it are kept.
    """
    batch_size = batch_size or current_app.config["OUTBOX_BATCH_SIZE"]
    failure: Exception | None = None
    published = 0
    try:
        events = db.session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.published_at.is_(None))
            .order_by(OutboxEvent.created_at, OutboxEvent.id)
            .limit(batch_size)
            .with_for_update(skip_locked=True)
        ).all()
        for event in events:
            event.attempts += 1
            try:
                event_publish(event.payload)
            except Exception as exc:  # whatever the broker raised, the row must stay
                failure = exc
                event.last_error = f"{exc.__class__.__name__}: {exc}"[:_MAX_ERROR_LENGTH]
                break
            _outbox_mark_published(event)
            published += 1
        db.session.commit()
    except BaseException:
        # Nothing is marked that was not committed: the events sent in this pass go again.
        db.session.rollback()
        raise
    if failure is not None:
        raise OutboxPublishError(str(failure) or failure.__class__.__name__) from failure
    return published


def outbox_relay(*, stop: threading.Event, once: bool = False) -> int:
    """Publish until stopped: wait OUTBOX_IDLE_MS when idle, back off exponentially on failure.

    With `once`, return when the outbox is empty and raise on the first failure. Returns how
    many events were published.
    """
    config = current_app.config
    idle = config["OUTBOX_IDLE_SECONDS"]
    batch_size = config["OUTBOX_BATCH_SIZE"]
    backoff = idle
    total = 0
    while not stop.is_set():
        try:
            published = outbox_publish_batch(batch_size=batch_size)
        except (OutboxPublishError, SQLAlchemyError) as exc:
            if once:
                raise
            logger.warning(
                "Outbox relay cannot publish; trying again in %.2f s",
                backoff,
                extra={"error": str(exc), "backoff_seconds": backoff},
            )
            stop.wait(backoff)
            backoff = min(backoff * 2, config["OUTBOX_BACKOFF_MAX_SECONDS"])
            continue
        backoff = idle
        total += published
        if published:
            logger.info("Published %d outbox events", published, extra={"count": published})
        if published < batch_size:
            if once:
                break
            stop.wait(idle)
    return total


def outbox_prune(*, older_than: timedelta) -> int:
    """Delete events published longer ago than `older_than`; unpublished ones always stay."""
    deleted = db.session.execute(
        delete(OutboxEvent).where(OutboxEvent.published_at < utcnow() - older_than)
    )
    db.session.commit()
    return deleted.rowcount
