"""The outbox: events are written with the change, in the envelope of contracts/events."""

import uuid

import pytest
from django.db import transaction

from orders.events import event_record, subscribers_for
from orders.models import OutboxEvent
from shopcore import request_id
from tests.contracts import assert_valid_event

pytestmark = pytest.mark.django_db

DATA = {
    "order_id": str(uuid.uuid4()),
    "number": "250101-ABCDEFGH",
    "user_id": 1,
}


def test_the_envelope_carries_id_type_version_source_time_and_request_id():
    token = request_id.bind("req-123")
    try:
        with transaction.atomic():
            event = event_record(type="order.shipped", data=DATA)
    finally:
        request_id.unbind(token)

    envelope = OutboxEvent.objects.get().payload
    assert envelope == {
        "id": str(event.id),
        "type": "order.shipped",
        "version": 1,
        "source": "orders",
        "time": envelope["time"],
        "correlation_id": "req-123",
        "data": DATA,
    }
    assert envelope["time"].endswith("Z")
    assert_valid_event(envelope)
    assert event.published_at is None


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        event_record(type="order.shipped", data=DATA)
    assert not OutboxEvent.objects.exists()


def test_an_event_rolls_back_with_its_transaction():
    def change_that_fails_after_its_event() -> None:
        with transaction.atomic():
            event_record(type="order.shipped", data=DATA)
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        change_that_fails_after_its_event()

    assert not OutboxEvent.objects.exists()


def test_data_that_breaks_the_contract_is_caught_by_the_schema_check():
    import jsonschema

    with transaction.atomic():
        event_record(type="order.shipped", data={**DATA, "user_id": "1"})

    with pytest.raises(jsonschema.ValidationError):
        assert_valid_event(OutboxEvent.objects.get().payload)


def test_subscribers_come_from_the_subscriptions_file():
    assert subscribers_for("order.paid") == ["catalog", "notify"]
    assert subscribers_for("order.placed") == ["notify"]
    assert subscribers_for("order.nobody_listens") == []
