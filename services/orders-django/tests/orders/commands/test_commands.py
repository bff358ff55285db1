"""The management commands that run next to the web process."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from orders.models import IdempotencyKey, Order, OutboxEvent
from orders.state import Status
from tests.contracts import assert_valid_event
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def _age(order: Order, seconds: int) -> None:
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(seconds=seconds))


def test_release_stale_orders_cancels_only_old_pending_ones(catalog, settings, capsys):
    settings.ORDERS_PENDING_TTL_SECONDS = 900
    stale = OrderFactory(status=Status.PENDING_PAYMENT)
    fresh = OrderFactory(status=Status.PENDING_PAYMENT)
    old_paid = OrderFactory(status=Status.PAID)
    _age(stale, 901)
    _age(old_paid, 5000)
    catalog.reservations[str(stale.id)] = {
        "order_id": str(stale.id),
        "status": "active",
        "lines": [],
    }

    call_command("release_stale_orders")

    assert "cancelled 1 stale order(s)" in capsys.readouterr().out
    assert Order.objects.get(pk=stale.pk).status == Status.CANCELLED
    assert Order.objects.get(pk=fresh.pk).status == Status.PENDING_PAYMENT
    assert Order.objects.get(pk=old_paid.pk).status == Status.PAID
    change = Order.objects.get(pk=stale.pk).history.latest("id")
    assert (change.actor, change.from_status) == ("system", "pending_payment")
    event = OutboxEvent.objects.get()
    assert event.type == "order.cancelled"
    assert event.payload["data"]["cancelled_by"] == "system"
    assert event.payload["data"]["was_paid"] is False
    assert_valid_event(event.payload)
    assert catalog.reservation_status(stale.id) == "released"


def test_release_stale_orders_works_with_the_catalog_down(catalog, settings):
    """The event still tells the catalog; the catalog's own expiry is the last resort."""
    stale = OrderFactory(status=Status.PENDING_PAYMENT)
    _age(stale, settings.ORDERS_PENDING_TTL_SECONDS + 1)
    catalog.stop()

    call_command("release_stale_orders")

    assert Order.objects.get(pk=stale.pk).status == Status.CANCELLED
    assert OutboxEvent.objects.get().type == "order.cancelled"


def test_run_periodic_once_runs_every_job(catalog, settings, capsys):
    stale = OrderFactory(status=Status.PENDING_PAYMENT)
    _age(stale, settings.ORDERS_PENDING_TTL_SECONDS + 1)
    IdempotencyKey.objects.create(
        user_id=1,
        key="old",
        fingerprint="f",
        locked_until=timezone.now(),
        expires_at=timezone.now() - timedelta(seconds=1),
    )

    call_command("run_periodic", "--once")

    out = capsys.readouterr().out
    assert "stale_orders_cancelled=1" in out
    assert "idempotency_keys_pruned=1" in out
    assert "outbox_events_pruned=0" in out


def test_outbox_relay_once_publishes_what_is_waiting(broker, capsys):
    OrderFactory(status=Status.PAID)
    from orders.services import order_ship

    order = Order.objects.get()
    order_ship(order_id=order.id, admin_id=99)

    call_command("outbox_relay", "--once")

    assert "published 1 event(s)" in capsys.readouterr().out
    assert OutboxEvent.objects.get().published_at is not None
    assert broker.llen("notify") == 1
