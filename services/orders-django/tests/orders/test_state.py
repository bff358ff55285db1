"""The order state machine: every pair of statuses, allowed or not."""

import itertools

import pytest

from orders.models import Order, OrderStatusChange, OutboxEvent
from orders.services import InvalidTransitionError, _order_transition
from orders.state import EVENT_FOR_STATUS, TRANSITIONS, Actor, Status, is_final, transition_allowed
from tests.contracts import assert_valid_event
from tests.factories import OrderFactory

ALLOWED = {
    (Status.PENDING_PAYMENT, Status.PAID),
    (Status.PENDING_PAYMENT, Status.PAYMENT_FAILED),
    (Status.PENDING_PAYMENT, Status.CANCELLED),
    (Status.PAID, Status.SHIPPED),
    (Status.PAID, Status.CANCELLED),
    (Status.SHIPPED, Status.DELIVERED),
}
ALL_PAIRS = list(itertools.product(Status, Status))


def test_the_table_is_the_documented_one():
    table = {(source, target) for source, targets in TRANSITIONS.items() for target in targets}
    assert table == ALLOWED
    assert {status for status in Status if is_final(status)} == {
        Status.PAYMENT_FAILED,
        Status.CANCELLED,
        Status.DELIVERED,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_allowed_move_changes_status_records_history_and_emits_its_event(source, target):
    order = OrderFactory(status=source)

    moved, previous = _order_transition(
        order=order, to=target, actor=Actor.ADMIN, actor_id="99", reason="declined"
    )

    assert previous == source
    assert Order.objects.get(pk=order.id).status == target == moved.status
    change = OrderStatusChange.objects.filter(order=order).latest("id")
    assert (change.from_status, change.to_status, change.actor, change.actor_id) == (
        source,
        target,
        "admin",
        "99",
    )
    event = OutboxEvent.objects.get()
    assert event.type == EVENT_FOR_STATUS[target]
    assert event.payload["data"]["order_id"] == str(order.id)
    assert_valid_event(event.payload)


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), [pair for pair in ALL_PAIRS if pair not in ALLOWED])
def test_forbidden_move_is_refused_and_changes_nothing(source, target):
    order = OrderFactory(status=source)
    assert not transition_allowed(source, target)

    with pytest.raises(InvalidTransitionError) as refused:
        _order_transition(order=order, to=target, actor=Actor.SYSTEM)

    assert refused.value.status_code == 409
    assert Order.objects.get(pk=order.id).status == source
    assert OrderStatusChange.objects.filter(order=order).count() == 1  # the factory's entry
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db
def test_a_move_and_its_event_commit_together_or_not_at_all(monkeypatch):
    from orders import services

    order = OrderFactory(status=Status.PAID)

    def broken(**kwargs):
        raise RuntimeError("outbox write failed")

    monkeypatch.setattr(services, "event_record", broken)
    with pytest.raises(RuntimeError):
        _order_transition(order=order, to=Status.SHIPPED, actor=Actor.ADMIN)

    assert Order.objects.get(pk=order.id).status == Status.PAID
    assert OrderStatusChange.objects.filter(order=order).count() == 1


@pytest.mark.django_db
def test_a_move_from_an_outdated_copy_is_decided_on_the_current_status():
    order = OrderFactory(status=Status.PAID)
    Order.objects.filter(pk=order.pk).update(status=Status.CANCELLED)  # another request, meanwhile

    with pytest.raises(InvalidTransitionError) as refused:
        _order_transition(order=order, to=Status.SHIPPED, actor=Actor.ADMIN)

    assert refused.value.details == {"status": "cancelled", "requested": "shipped"}
    assert Order.objects.get(pk=order.pk).status == Status.CANCELLED
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db
def test_a_cancel_from_a_pending_copy_of_an_order_paid_meanwhile_says_it_was_paid():
    order = OrderFactory(status=Status.PENDING_PAYMENT)
    Order.objects.filter(pk=order.pk).update(status=Status.PAID, payment_id="pay_1")

    moved, previous = _order_transition(order=order, to=Status.CANCELLED, actor=Actor.CUSTOMER)

    assert (previous, moved.status) == (Status.PAID, Status.CANCELLED)
    assert OrderStatusChange.objects.filter(order=order).latest("id").from_status == Status.PAID
    event = OutboxEvent.objects.get()
    assert event.payload["data"]["was_paid"] is True
    assert_valid_event(event.payload)
