"""Celery tasks of the catalog: `catalog.handle_event` and `catalog.expire_reservations`.

Both are adapters. `handle_event` takes an envelope from the `catalog` queue (put there by the
producers' outbox relays), makes its correlation id the request id of every log line, calls
`catalog.events.event_handle`, and decides what a failure means:

- rejected (`EventRejected`: the schema is broken, or the event asks for what the catalog cannot
  do) -> a dead letter now, and the message is acknowledged;
- anything else (the database unreachable or timing out, the soft time limit, a bug) -> a retry
  after `random(0, min(BACKOFF_MAX, BACKOFF_BASE * 2**n))` seconds, exponential backoff with full
  jitter so that a burst of failed events does not come back in lock step; after
  CATALOG_EVENT_MAX_ATTEMPTS attempts, a dead letter.

A message is acknowledged only after the task returns (`acks_late`, config/celery.py), so a
worker that dies mid-event leaves it in Redis for the next one; `event_handle` makes the repeat
harmless.
"""

import logging
import random
from typing import Any

from celery import Task, shared_task
from django.conf import settings

from catalog.events import EventRejected, dead_letter_record, event_handle, event_id_of
from catalog.services import reservation_expire_overdue
from shopcore import request_id

logger = logging.getLogger(__name__)


def retry_countdown(retries: int) -> float:
    """Seconds to wait before retry number `retries + 1`: full jitter over a capped exponential."""
    ceiling = min(
        settings.CATALOG_EVENT_RETRY_BACKOFF_MAX,
        settings.CATALOG_EVENT_RETRY_BACKOFF_BASE * 2**retries,
    )
    return random.uniform(0, ceiling)  # noqa: S311 - spreading retries, not cryptography


# max_retries=None switches Celery's own limit off (3 by default, after which it would drop the
# message): CATALOG_EVENT_MAX_ATTEMPTS bounds the retries here, and the last one ends in a dead
# letter instead.
@shared_task(
    name="catalog.handle_event",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
)
def handle_event(self: Task, envelope: Any) -> str:
    correlation_id = envelope.get("correlation_id") if isinstance(envelope, dict) else None
    token = request_id.bind(request_id.accept_or_create(correlation_id))
    try:
        return _handle(self, envelope)
    finally:
        request_id.unbind(token)


def _handle(task: Task, envelope: Any) -> str:
    attempt = task.request.retries + 1
    try:
        return event_handle(envelope=envelope)
    except EventRejected as exc:
        logger.warning("event %s rejected: %s", event_id_of(envelope), exc)
        return _dead_letter(task, envelope, exc, attempts=attempt)
    except Exception as exc:
        max_attempts = settings.CATALOG_EVENT_MAX_ATTEMPTS
        if attempt >= max_attempts:
            logger.error(
                "event %s failed on attempt %d of %d, giving up: %r",
                event_id_of(envelope),
                attempt,
                max_attempts,
                exc,
            )
            return _dead_letter(task, envelope, exc, attempts=attempt)
        countdown = retry_countdown(task.request.retries)
        logger.warning(
            "event %s failed on attempt %d of %d, retrying in %.2f s: %r",
            event_id_of(envelope),
            attempt,
            max_attempts,
            countdown,
            exc,
        )
        raise task.retry(exc=exc, countdown=countdown) from exc


def _dead_letter(task: Task, envelope: Any, exc: Exception, *, attempts: int) -> str:
    try:
        dead_letter_record(
            envelope=envelope, error=f"{type(exc).__name__}: {exc}", attempts=attempts
        )
    except Exception as store_exc:
        # The dead letters live in our database; if it fails too, acknowledging would lose the
        # event. Keep it on the queue instead and try again after the longest backoff.
        logger.error("cannot store dead letter for %s: %r", event_id_of(envelope), store_exc)
        raise task.retry(
            exc=store_exc, countdown=settings.CATALOG_EVENT_RETRY_BACKOFF_MAX
        ) from store_exc
    return "dead_letter"


# A sweep lost with a dying worker is made up by the next one, one interval later: nothing to
# redeliver, so it is acknowledged on receipt.
@shared_task(name="catalog.expire_reservations", acks_late=False)
def expire_reservations() -> int:
    expired = reservation_expire_overdue()
    if expired:
        logger.info("expired %d overdue reservation(s)", expired)
    return expired
