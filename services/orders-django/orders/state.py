"""The order lifecycle: every status an order can be in and the only moves between them.

This table is the single place that decides whether a status change is allowed. Services ask
it before they write; tests walk every pair of statuses against it.
"""

from django.db import models


class Status(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", "Pending payment"
    PAID = "paid", "Paid"
    PAYMENT_FAILED = "payment_failed", "Payment failed"
    CANCELLED = "cancelled", "Cancelled"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"


class Actor(models.TextChoices):
    """Who moved an order: recorded on every status change and sent in `order.cancelled`."""

    CUSTOMER = "customer", "Customer"
    ADMIN = "admin", "Admin"
    SYSTEM = "system", "System"


# An order is born `pending_payment` (event `order.placed`); from there only these moves exist.
# Statuses missing on the left (payment_failed, cancelled, delivered) are final.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.PENDING_PAYMENT: frozenset({Status.PAID, Status.PAYMENT_FAILED, Status.CANCELLED}),
    Status.PAID: frozenset({Status.SHIPPED, Status.CANCELLED}),
    Status.SHIPPED: frozenset({Status.DELIVERED}),
}

# The event each move emits, written to the outbox in the same transaction as the move.
INITIAL_EVENT = "order.placed"
EVENT_FOR_STATUS: dict[Status, str] = {
    Status.PAID: "order.paid",
    Status.PAYMENT_FAILED: "order.payment_failed",
    Status.CANCELLED: "order.cancelled",
    Status.SHIPPED: "order.shipped",
    Status.DELIVERED: "order.delivered",
}


def transition_allowed(current: str, target: str) -> bool:
    return Status(target) in TRANSITIONS.get(Status(current), frozenset())


def is_final(status: str) -> bool:
    return Status(status) not in TRANSITIONS
