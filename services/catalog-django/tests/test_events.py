"""Events from orders move stock once each, and what the catalog cannot do is rejected."""

import json
import threading
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from catalog.events import (
    HANDLERS,
    EventRejected,
    InvalidEvent,
    dead_letter_record,
    event_handle,
)
from catalog.models import ProcessedEvent, Reservation, Stock
from catalog.services import (
    LineRequest,
    reservation_commit,
    reservation_expire_overdue,
    reservation_release,
    reservation_reserve,
)
from tests.factories import ProductFactory, order_event

pytestmark = pytest.mark.django_db


def _stock(product) -> tuple[int, int, int]:
    stock = Stock.objects.get(product=product)
    return stock.on_hand, stock.reserved, stock.sold


def _reserve(*lines: tuple[object, int]) -> str:
    order_id = str(uuid.uuid4())
    reservation_reserve(
        order_id=order_id, lines=[LineRequest(product.pk, quantity) for product, quantity in lines]
    )
    return order_id


def _status(order_id: str) -> str:
    return Reservation.objects.get(order_id=order_id).status


# -- what each event does -------------------------------------------------------------------------


def test_order_paid_commits_the_reservation():
    product = ProductFactory(stock__on_hand=10)
    order_id = _reserve((product, 2))

    assert event_handle(envelope=order_event("order.paid", order_id)) == "handled"

    assert _status(order_id) == "committed"
    assert _stock(product) == (8, 0, 2)


def test_order_payment_failed_releases_the_reservation():
    product = ProductFactory(stock__on_hand=10)
    order_id = _reserve((product, 2))

    event_handle(envelope=order_event("order.payment_failed", order_id, reason="declined"))

    assert _status(order_id) == "released"
    assert _stock(product) == (10, 0, 0)


def test_order_cancelled_before_payment_releases_the_reservation():
    product = ProductFactory(stock__on_hand=10)
    order_id = _reserve((product, 2))

    event_handle(envelope=order_event("order.cancelled", order_id, was_paid=False))

    assert _status(order_id) == "released"
    assert _stock(product) == (10, 0, 0)


def test_order_cancelled_after_payment_puts_the_sold_units_back_on_sale():
    product = ProductFactory(stock__on_hand=10)
    order_id = _reserve((product, 2))
    event_handle(envelope=order_event("order.paid", order_id))

    event_handle(
        envelope=order_event("order.cancelled", order_id, was_paid=True, cancelled_by="admin")
    )

    assert _status(order_id) == "released"
    assert _stock(product) == (10, 0, 0)


def test_every_unit_stays_accounted_for_across_a_mix_of_orders():
    products = [ProductFactory(stock__on_hand=initial) for initial in (5, 7, 9)]
    initial = {product.pk: _stock(product)[0] for product in products}
    paid = _reserve((products[0], 2), (products[1], 1))
    failed = _reserve((products[1], 3), (products[2], 4))
    cancelled_unpaid = _reserve((products[0], 1), (products[2], 2))
    cancelled_paid = _reserve((products[1], 2))
    pending = _reserve((products[2], 1))

    event_handle(envelope=order_event("order.paid", paid))
    event_handle(envelope=order_event("order.payment_failed", failed))
    event_handle(envelope=order_event("order.cancelled", cancelled_unpaid))
    event_handle(envelope=order_event("order.paid", cancelled_paid))
    event_handle(envelope=order_event("order.cancelled", cancelled_paid, was_paid=True))

    for product in products:
        on_hand, reserved, sold = _stock(product)
        assert on_hand + reserved + sold == initial[product.pk]
    assert _stock(products[0]) == (3, 0, 2)
    assert _stock(products[1]) == (6, 0, 1)
    assert _stock(products[2]) == (8, 1, 0)
    assert _status(pending) == "active"


# -- each event once ------------------------------------------------------------------------------


def test_a_redelivered_event_is_a_duplicate_and_changes_nothing():
    product = ProductFactory(stock__on_hand=10)
    order_id = _reserve((product, 2))
    paid = order_event("order.paid", order_id)
    event_handle(envelope=paid)
    event_handle(envelope=order_event("order.cancelled", order_id, was_paid=True))

    # Committing now would be a conflict (the reservation is released): the event id answers
    # first, so the late copy is simply acknowledged.
    assert event_handle(envelope=paid) == "duplicate"

    assert _stock(product) == (10, 0, 0)
    assert ProcessedEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_event_handled_by_two_workers_at_once_applies_once():
    product = ProductFactory(stock__on_hand=10)
    order_id = _reserve((product, 2))
    event = order_event("order.paid", order_id)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(event_handle(envelope=event))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["duplicate", "handled"]
    assert _stock(product) == (8, 0, 2)
    assert ProcessedEvent.objects.get().event_id == uuid.UUID(event["id"])


# -- what the catalog cannot do -------------------------------------------------------------------


@pytest.mark.parametrize("event_type", ["order.payment_failed", "order.cancelled"])
def test_a_release_for_an_order_without_reservation_has_nothing_to_do(event_type, caplog):
    order_id = str(uuid.uuid4())

    assert event_handle(envelope=order_event(event_type, order_id)) == "handled"

    assert ProcessedEvent.objects.count() == 1
    assert f"no reservation for order {order_id}" in caplog.text


def test_a_payment_for_an_order_without_reservation_is_rejected():
    order_id = str(uuid.uuid4())

    with pytest.raises(EventRejected, match="holds no reservation"):
        event_handle(envelope=order_event("order.paid", order_id))

    assert ProcessedEvent.objects.count() == 0


@pytest.mark.parametrize("undo", ["release", "expire"])
def test_a_payment_after_the_units_went_back_on_sale_is_rejected(undo):
    product = ProductFactory(stock__on_hand=10)
    order_id = _reserve((product, 2))
    if undo == "release":
        reservation_release(order_id=order_id)
    else:
        Reservation.objects.filter(order_id=order_id).update(expires_at="2000-01-01T00:00:00Z")
        reservation_expire_overdue()

    with pytest.raises(EventRejected, match="back on sale") as rejected:
        event_handle(envelope=order_event("order.paid", order_id))

    assert "Refund the order" in str(rejected.value)
    assert _stock(product) == (10, 0, 0)
    assert ProcessedEvent.objects.count() == 0  # rolled back with the attempted effect


def test_a_payment_failure_never_undoes_a_sale():
    product = ProductFactory(stock__on_hand=10)
    order_id = _reserve((product, 2))
    reservation_commit(order_id=order_id)

    with pytest.raises(EventRejected, match="does not undo a sale"):
        event_handle(envelope=order_event("order.payment_failed", order_id))

    assert _status(order_id) == "committed"
    assert _stock(product) == (8, 0, 2)
    assert ProcessedEvent.objects.count() == 0


# -- the contracts --------------------------------------------------------------------------------


def _broken(change) -> dict:
    event = order_event("order.paid", str(uuid.uuid4()))
    change(event)
    return event


BROKEN_ENVELOPES = {
    "not an object": lambda: "order.paid",
    "no source": lambda: _broken(lambda e: e.pop("source")),
    "id not a uuid": lambda: _broken(lambda e: e.update(id="42")),
    "time not a date-time": lambda: _broken(lambda e: e.update(time="yesterday")),
    "unknown field": lambda: _broken(lambda e: e.update(priority="high")),
    "not consumed here": lambda: _broken(lambda e: e.update(type="order.shipped")),
    "unknown version": lambda: _broken(lambda e: e.update(version=2)),
    "order id not a uuid": lambda: _broken(lambda e: e["data"].update(order_id="SO-1")),
    "data field missing": lambda: _broken(lambda e: e["data"].pop("payment_id")),
    "total not an amount": lambda: _broken(lambda e: e["data"].update(total=39.98)),
}


@pytest.mark.parametrize("broken", BROKEN_ENVELOPES.values(), ids=BROKEN_ENVELOPES.keys())
def test_an_event_breaking_its_contract_is_invalid_and_changes_nothing(broken):
    product = ProductFactory(stock__on_hand=10)
    _reserve((product, 2))

    with pytest.raises(InvalidEvent):
        event_handle(envelope=broken())

    assert ProcessedEvent.objects.count() == 0
    assert _stock(product) == (8, 2, 0)


def test_the_reason_names_every_broken_field():
    envelope_broken = order_event("order.paid", str(uuid.uuid4())) | {"priority": "high"}
    del envelope_broken["source"]
    data_broken = order_event("order.paid", "SO-1")
    del data_broken["data"]["number"]

    with pytest.raises(InvalidEvent) as in_envelope:
        event_handle(envelope=envelope_broken)
    with pytest.raises(InvalidEvent) as in_data:
        event_handle(envelope=data_broken)

    assert "'source' is a required property" in str(in_envelope.value)
    assert "'priority' was unexpected" in str(in_envelope.value)
    assert "data/order_id: 'SO-1' is not a 'uuid'" in str(in_data.value)
    assert "'number' is a required property" in str(in_data.value)


def test_the_catalog_handles_exactly_the_events_it_subscribes_to():
    subscriptions = json.loads(
        (Path(settings.EVENT_CONTRACTS_DIR) / "subscriptions.json").read_text()
    )

    assert set(HANDLERS) == set(subscriptions["catalog"])


# -- dead letters ---------------------------------------------------------------------------------


def test_a_dead_letter_keeps_the_envelope_and_what_it_could_read_of_it():
    event = order_event("order.paid", str(uuid.uuid4()))

    letter = dead_letter_record(envelope=event, error="EventRejected: no", attempts=1)
    garbage = dead_letter_record(envelope=["not", "an", "event"], error="x" * 5000, attempts=1)

    letter.refresh_from_db()
    assert (letter.event_id, letter.event_type) == (uuid.UUID(event["id"]), "order.paid")
    assert letter.envelope == event
    assert (garbage.event_id, garbage.event_type) == (None, "")
    assert len(garbage.error) == 4000
