"""Test data: event envelopes as the producers' outboxes build them, and inbox entries."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import factory

from notify.extensions import db
from notify.models import Notification

SOURCES = {"user": "auth", "order": "orders"}


def envelope(event_type: str, data: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "version": 1,
        "source": SOURCES[event_type.split(".")[0]],
        "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "correlation_id": uuid.uuid4().hex,
        "data": data,
        **overrides,
    }


# What an order event carries of the order (`data.order`), as keys of the fake's REST answer.
ORDER_SNAPSHOT_KEYS = (
    "lines",
    "subtotal",
    "shipping",
    "tax",
    "total",
    "currency",
    "shipping_address",
)


def order_event(
    event_type: str, order: dict[str, Any], *, carried: bool = True, **extra: Any
) -> dict[str, Any]:
    """An order event whose data matches its schema, for an order of the fake orders service.

    `carried=False` leaves out `data.order`, as events written before they carried the order
    (and dead letters of that time) do: then notify reads the order from orders.
    """
    data: dict[str, Any] = {
        "order_id": order["id"],
        "number": order["number"],
        "user_id": order["user_id"],
    }
    if carried:
        data["order"] = {key: order[key] for key in ORDER_SNAPSHOT_KEYS}
    if event_type == "order.placed":
        data |= {
            "currency": order["currency"],
            "total": order["total"],
            "lines": [
                {key: line[key] for key in ("product_id", "sku", "name", "quantity", "unit_price")}
                for line in order["lines"]
            ],
        }
    elif event_type == "order.paid":
        data |= {"total": order["total"], "currency": order["currency"], "payment_id": "pay_1"}
    elif event_type == "order.payment_failed":
        data |= {"reason": "declined"}
    elif event_type == "order.cancelled":
        data |= {"cancelled_by": "customer", "was_paid": True}
    data |= extra
    return envelope(event_type, data)


def user_registered(user: dict[str, Any]) -> dict[str, Any]:
    return envelope(
        "user.registered", {"user_id": user["id"], "email": user["email"], "name": user["name"]}
    )


class NotificationFactory(factory.alchemy.SQLAlchemyModelFactory):
    """An inbox entry as the consumer files it, for API tests."""

    class Meta:
        model = Notification
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"

    user_id = 1
    type = "order.shipped"
    title = factory.Sequence(lambda n: f"Order 2026-{n:06d} is on its way")
    body = "Your order has left our warehouse."
    link = factory.LazyFunction(lambda: f"/orders/{uuid.uuid4()}")
    event_id = factory.LazyFunction(uuid.uuid4)
    created_at = factory.Sequence(lambda n: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n))
