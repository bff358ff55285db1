"""Idempotency keys for checkout: one order per key, and the first answer replayed.

The protocol, per (user, key):
1. Claim: INSERT the key with a fingerprint of the request body, in its own committed
   transaction, before any work. The unique constraint makes exactly one request win.
2. A loser looks at the winner's row: a different body -> 422 `idempotency_key_reused`;
   finished -> the stored answer, replayed byte for byte; still running -> 409
   `idempotency_in_progress`; running but its lease has run out (the process died) -> it
   takes the claim over and continues the same order (the order id is fixed at claim time).
3. Complete: store the answer's status and body. Answers that report a decision (the order,
   a declined payment, out of stock, payment unavailable) are stored; when nothing was done
   (bad input, the catalog unreachable, a bug) the claim is released so the same key can be
   tried again.
Keys live IDEMPOTENCY_TTL_SECONDS (at least 24 h); `idempotency_keys_prune` removes the rest.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.models import IdempotencyKey, Order
from shopcore.exceptions import ApplicationError

MAX_KEY_LENGTH = 255


class IdempotencyKeyRequiredError(ApplicationError):
    status_code = 400
    code = "idempotency_key_required"
    default_message = "Send an Idempotency-Key header (a unique value per checkout, e.g. a UUID)."


class IdempotencyKeyReusedError(ApplicationError):
    status_code = 422
    code = "idempotency_key_reused"
    default_message = "This Idempotency-Key was already used with a different request body."


class IdempotencyInProgressError(ApplicationError):
    status_code = 409
    code = "idempotency_in_progress"
    default_message = "A request with this Idempotency-Key is still being processed. Retry shortly."


@dataclass(frozen=True)
class Claim:
    record: IdempotencyKey
    replay: bool
    # Taken over from a request that died: it may have created the order already.
    taken_over: bool = False

    @property
    def order_id(self) -> uuid.UUID:
        return self.record.order_id


def idempotency_key_clean(raw: str | None) -> str:
    key = (raw or "").strip()
    if not key:
        raise IdempotencyKeyRequiredError()
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise IdempotencyKeyRequiredError(
            f"The Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters."
        )
    return key


def request_fingerprint(body: Any) -> str:
    """The same JSON document gives the same fingerprint whatever its key order or spacing."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotency_claim(*, user_id: int, key: str, fingerprint: str) -> Claim:
    """Claim the key for this request, or say why not (replay, 409, 422)."""
    for _ in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user_id=user_id,
                    key=key,
                    fingerprint=fingerprint,
                    created_at=now,
                    locked_until=now + timedelta(seconds=settings.IDEMPOTENCY_LEASE_SECONDS),
                    expires_at=now + timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS),
                )
            return Claim(record=record, replay=False)
        except IntegrityError:
            pass
        existing = IdempotencyKey.objects.filter(user_id=user_id, key=key).first()
        if existing is None:  # pruned in between: try the insert again
            continue
        if existing.expires_at <= now:
            # Expired but not pruned yet: it counts as never used.
            IdempotencyKey.objects.filter(pk=existing.pk, expires_at__lte=now).delete()
            continue
        if existing.fingerprint != fingerprint:
            raise IdempotencyKeyReusedError()
        if existing.state == IdempotencyKey.State.COMPLETED:
            return Claim(record=existing, replay=True)
        if existing.locked_until > now:
            raise IdempotencyInProgressError()
        # The request holding the claim died: take it over, unless another request just did.
        taken = IdempotencyKey.objects.filter(
            pk=existing.pk,
            state=IdempotencyKey.State.IN_PROGRESS,
            locked_until=existing.locked_until,
        ).update(locked_until=now + timedelta(seconds=settings.IDEMPOTENCY_LEASE_SECONDS))
        if not taken:
            raise IdempotencyInProgressError()
        existing.refresh_from_db()
        return Claim(record=existing, replay=False, taken_over=True)
    raise IdempotencyInProgressError()


def idempotency_complete(*, claim: Claim, status: int, body: Any) -> None:
    """Store the answer to replay for this key."""
    IdempotencyKey.objects.filter(pk=claim.record.pk).update(
        state=IdempotencyKey.State.COMPLETED,
        response_status=status,
        response_body=json.dumps(body, cls=DjangoJSONEncoder),
    )


def idempotency_replay_body(claim: Claim) -> Any:
    return json.loads(claim.record.response_body)


def idempotency_release(*, claim: Claim) -> None:
    """Give up an unfinished claim after a failure, so the client may retry with the same key.

    When the order already exists, the claim is kept (with its lease ended) so the retry
    continues that order instead of starting a second one.
    """
    if Order.objects.filter(pk=claim.order_id).exists():
        IdempotencyKey.objects.filter(
            pk=claim.record.pk, state=IdempotencyKey.State.IN_PROGRESS
        ).update(locked_until=timezone.now())
        return
    IdempotencyKey.objects.filter(
        pk=claim.record.pk, state=IdempotencyKey.State.IN_PROGRESS
    ).delete()


def idempotency_keys_prune() -> int:
    """Delete keys past their TTL (at least 24 h after their first use)."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
