"""Event envelopes as the producers' outboxes build them (contracts/events)."""

import uuid
from datetime import UTC, datetime
from typing import Any

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


def order_event(event_type: str, order: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An order event whose data matches its schema, for an order of the fake orders service."""
    data: dict[str, Any] = {
        "order_id": order["id"],
        "number": order["number"],
        "user_id": order["user_id"],
    }
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
