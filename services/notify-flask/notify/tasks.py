"""The consumer: `notify.handle_event`, fed by the producers' outbox relays on the `notify` queue.

The task is an adapter: it sets the request id from the envelope, calls `services.event_handle`,
and decides what a failure means:

- permanent (schema broken, the order or user does not exist) -> a dead letter now, message acked;
- anything else (SMTP down, a peer answering 5xx or timing out, the database unreachable, a soft
  time limit) -> a retry after `random(0, min(max, base * 2**n))` seconds (exponential backoff
  with full jitter, so a fleet of failed events does not come back in lock step), at most
  NOTIFY_MAX_RETRIES times, then a dead letter.

Each message is acknowledged only after this function returns (`acks_late`), so a worker that
dies mid-event leaves it in Redis to be delivered again; `services.event_handle` makes the
repeat harmless.
"""

import logging
import random
from typing import Any

from celery import shared_task
from flask import current_app

from notify.errors import PermanentError
from notify.events import event_id_of, event_type_of
from notify.extensions import db
from notify.logging import new_request_id, request_id_var, sane_request_id
from notify.services import dead_letter_record, event_handle

logger = logging.getLogger(__name__)


def retry_countdown(retries: int) -> float:
    """Seconds to wait before retry number `retries + 1`: full jitter over a capped exponential."""
    config = current_app.config
    ceiling = min(
        config["NOTIFY_RETRY_BACKOFF_MAX"], config["NOTIFY_RETRY_BACKOFF_BASE"] * 2**retries
    )
    return random.uniform(0, ceiling)  # noqa: S311 - spreading retries, not cryptography


# max_retries=None: Celery's own limit (3 by default) is off; NOTIFY_MAX_RETRIES bounds retries
# here, where the last failure becomes a dead letter instead of a dropped message.
@shared_task(
    name="notify.handle_event",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
)
def handle_event(self, envelope: Any) -> str:
    correlation_id = envelope.get("correlation_id") if isinstance(envelope, dict) else None
    token = request_id_var.set(sane_request_id(correlation_id) or new_request_id())
    try:
        return _handle(self, envelope)
    finally:
        request_id_var.reset(token)


def _handle(task, envelope: Any) -> str:
    attempt = task.request.retries + 1
    try:
        return event_handle(envelope=envelope)
    except PermanentError as exc:
        logger.warning("event %s cannot be handled: %s", event_id_of(envelope), exc)
        return _dead_letter(task, envelope, exc, attempts=attempt)
    except Exception as exc:
        db.session.rollback()
        max_retries = current_app.config["NOTIFY_MAX_RETRIES"]
        if task.request.retries >= max_retries:
            logger.error(
                "event %s failed on attempt %d of %d, giving up: %r",
                event_id_of(envelope),
                attempt,
                max_retries + 1,
                exc,
            )
            return _dead_letter(task, envelope, exc, attempts=attempt)
        countdown = retry_countdown(task.request.retries)
        logger.warning(
            "event %s failed on attempt %d of %d, retrying in %.2f s: %r",
            event_id_of(envelope),
            attempt,
            max_retries + 1,
            countdown,
            exc,
        )
        raise task.retry(exc=exc, countdown=countdown) from exc


def _dead_letter(task, envelope: Any, exc: Exception, *, attempts: int) -> str:
    try:
        dead_letter_record(
            envelope=envelope,
            event_id=event_id_of(envelope),
            event_type=event_type_of(envelope),
            error=f"{type(exc).__name__}: {exc}",
            attempts=attempts,
        )
    except Exception as store_exc:
        # The dead-letter store is our database; if it is down too, acknowledging would lose the
        # event. Keep it on the queue instead and try again after the longest backoff.
        db.session.rollback()
        logger.error("cannot store dead letter for %s: %r", event_id_of(envelope), store_exc)
        raise task.retry(
            exc=store_exc, countdown=current_app.config["NOTIFY_RETRY_BACKOFF_MAX"]
        ) from store_exc
    return "dead_letter"
