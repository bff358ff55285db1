"""The event contracts notify consumes, read from contracts/events."""

import json
import uuid
from pathlib import Path

import pytest
from tests.factories import envelope, user_registered

from notify.config import DEFAULT_EVENT_CONTRACTS_DIR
from notify.errors import InvalidEvent
from notify.events import HANDLED_EVENT_TYPES, EventContracts

TEMPLATES = Path(__file__).resolve().parent.parent / "notify" / "templates" / "email"


@pytest.fixture(scope="module")
def contracts() -> EventContracts:
    return EventContracts(DEFAULT_EVENT_CONTRACTS_DIR)


def test_notify_handles_exactly_what_it_subscribes_to():
    subscriptions = json.loads((DEFAULT_EVENT_CONTRACTS_DIR / "subscriptions.json").read_text())

    assert set(subscriptions["notify"]) == HANDLED_EVENT_TYPES


@pytest.mark.parametrize("event_type", sorted(HANDLED_EVENT_TYPES))
def test_every_handled_event_has_a_schema_and_both_templates(contracts, event_type):
    assert contracts.data_validator(event_type, 1) is not None
    assert (TEMPLATES / f"{event_type}.txt").is_file()
    assert (TEMPLATES / f"{event_type}.html").is_file()


def test_a_valid_envelope_is_parsed(contracts):
    event = user_registered({"id": 4, "email": "ada@example.com", "name": "Ada"})

    parsed = contracts.parse(event)

    assert parsed.id == uuid.UUID(event["id"])
    assert parsed.type == "user.registered"
    assert parsed.data["email"] == "ada@example.com"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "42"}, "id"),
        ({"time": "yesterday"}, "time"),
        ({"version": 0}, "version"),
        ({"source": "payments"}, "source"),
        ({"extra": True}, "extra"),
        ({"version": 2}, "no schema"),
        ({"type": "order.refunded"}, "not an event this service handles"),
    ],
)
def test_a_broken_envelope_is_invalid(contracts, change, message):
    event = user_registered({"id": 4, "email": "ada@example.com", "name": "Ada"}) | change

    with pytest.raises(InvalidEvent, match=message):
        contracts.parse(event)


@pytest.mark.parametrize("payload", [None, "order.paid", ["order.paid"], {}])
def test_something_that_is_no_envelope_is_invalid(contracts, payload):
    with pytest.raises(InvalidEvent):
        contracts.parse(payload)


def test_data_that_breaks_the_event_schema_is_invalid(contracts):
    event = envelope(
        "order.paid",
        {"order_id": str(uuid.uuid4()), "number": "1", "user_id": "7", "total": "9.5"},
    )

    with pytest.raises(InvalidEvent) as raised:
        contracts.parse(event)

    text = str(raised.value)
    assert "data/user_id" in text
    assert "data/total" in text
    assert "payment_id" in text


def test_an_order_carried_by_an_event_must_be_complete(contracts):
    event = envelope(
        "order.shipped",
        {"order_id": str(uuid.uuid4()), "number": "1", "user_id": 7, "order": {"lines": []}},
    )

    with pytest.raises(InvalidEvent) as raised:
        contracts.parse(event)

    text = str(raised.value)
    assert "data/order/lines" in text
    assert "shipping_address" in text
