"""Events this service publishes, through a transactional outbox and a relay.

Writing: `event_record()` adds the event to the `OutboxEvent` table inside the transaction
of the change it reports, so the change and its event commit together or not at all.

Publishing: `outbox_relay()` (run by `python manage.py outbox_relay`) takes unpublished rows
oldest first, sends one Celery task `<subscriber>.handle_event` per subscriber (from
contracts/events/subscriptions.json) to that subscriber's own queue, and marks the rows
published. A crash after sending and before marking sends the event again on the next run:
delivery is at least once, and consumers deduplicate on the event id.
"""

import functools
import json
import logging
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, transaction
from django.db.models import F
from django.utils import timezone

from config.celery import app as celery_app
from orders.models import OutboxEvent
from shopcore import request_id

logger = logging.getLogger(__name__)

ENVELOPE_VERSION = 1


def event_record(
    *, type: str, data: dict[str, Any], version: int = ENVELOPE_VERSION, at: datetime | None = None
) -> OutboxEvent:
    """Put an event in the outbox; only valid inside the transaction of the change it reports."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record() must run inside transaction.atomic()")
    event_id = uuid.uuid4()
    at = at or timezone.now()
    envelope = {
        "id": str(event_id),
        "type": type,
        "version": version,
        "source": settings.EVENT_SOURCE,
        "time": at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "correlation_id": request_id.current(),
        "data": data,
    }
    return OutboxEvent.objects.create(
        id=event_id, type=type, version=version, payload=envelope, created_at=at
    )


@functools.cache
def _subscriptions(path: str) -> dict[str, list[str]]:
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    by_type: dict[str, list[str]] = {}
    for subscriber, event_types in raw.items():
        if subscriber.startswith("$"):
            continue
        for event_type in event_types:
            by_type.setdefault(event_type, []).append(subscriber)
    return by_type


def subscribers_for(event_type: str) -> list[str]:
    return sorted(_subscriptions(settings.EVENT_SUBSCRIPTIONS_FILE).get(event_type, []))


def event_publish(envelope: dict[str, Any]) -> list[str]:
    """Send the envelope to every subscriber's queue; returns the subscribers it went to."""
    subscribers = subscribers_for(envelope["type"])
    for subscriber in subscribers:
        celery_app.send_task(
            f"{subscriber}.handle_event",
            args=[envelope],
            queue=subscriber,
            retry=True,
            retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
        )
    return subscribers


class OutboxPublishError(Exception):
    """The broker refused or could not be reached; the event stays in the outbox."""


def outbox_publish_batch(*, batch_size: int | None = None) -> int:
    """Publish up to `batch_size` unpublished events, oldest first, and mark them published.

    The rows stay locked (FOR UPDATE SKIP LOCKED on PostgreSQL) until the marks commit, so
    several relays can run side by side without sending the same row at the same time.
    Stops at the first failure, so events leave in the order they were written.
    """
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    failure: Exception | None = None
    published: list[uuid.UUID] = []
    with transaction.atomic():
        rows = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(published_at__isnull=True)
            .order_by("created_at", "id")[:batch_size]
        )
        for row in rows:
            try:
                event_publish(row.payload)
            except Exception as exc:
                failure = exc
                row.attempts += 1
                row.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
                row.save(update_fields=["attempts", "last_error"])
                break
            published.append(row.id)
        # One UPDATE marks every row the broker took, in the transaction that holds their locks.
        OutboxEvent.objects.filter(id__in=published).update(
            published_at=timezone.now(), last_error="", attempts=F("attempts") + 1
        )
    if failure is not None:
        raise OutboxPublishError(str(failure)) from failure
    return len(published)


def outbox_relay(*, stop: threading.Event, once: bool = False) -> int:
    """Publish until stopped: sleep briefly when idle, back off exponentially when failing.

    With `once`, return as soon as the outbox is empty. Returns how many events it published.
    """
    idle = settings.OUTBOX_IDLE_SECONDS
    backoff = idle or 0.1
    total = 0
    while not stop.is_set():
        try:
            published = outbox_publish_batch()
        except (OutboxPublishError, DatabaseError) as exc:
            logger.warning(
                "outbox relay failed; backing off",
                extra={"error": str(exc), "backoff_seconds": backoff},
            )
            close_old_connections()
            if once:
                raise
            stop.wait(backoff)
            backoff = min(backoff * 2, settings.OUTBOX_BACKOFF_MAX_SECONDS)
            continue
        backoff = idle or 0.1
        total += published
        if published:
            logger.info("outbox events published", extra={"count": published})
        if published < settings.OUTBOX_BATCH_SIZE:
            if once:
                break
            stop.wait(idle)
    return total


def outbox_prune(*, older_than: timedelta | None = None) -> int:
    """Delete events published more than OUTBOX_RETENTION_DAYS ago; never unpublished ones."""
    older_than = older_than or timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _ = OutboxEvent.objects.filter(
        published_at__isnull=False, published_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
