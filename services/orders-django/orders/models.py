"""What this service owns: carts, orders with their lines and history, checkout idempotency
keys, and the outbox of events waiting to be published."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from orders.state import Actor, Status

MONEY = {"max_digits": 12, "decimal_places": 2}


class CartItem(models.Model):
    """One product in a user's cart. Only the id and quantity are authoritative: price and
    availability are read live from the catalog. The names are kept for display when the
    product disappears from the catalog."""

    user_id = models.BigIntegerField()
    product_id = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    sku = models.CharField(max_length=64, blank=True)
    slug = models.CharField(max_length=255, blank=True)
    name = models.CharField(max_length=255, blank=True)
    image = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user_id", "product_id"], name="cart_item_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_item_quantity_gte_1"),
        ]
        indexes = [models.Index(fields=["user_id"], name="cart_item_user")]

    def __str__(self) -> str:
        return f"cart of user {self.user_id}: {self.quantity} x product {self.product_id}"


class Order(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(max_length=32, unique=True)
    user_id = models.BigIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices)
    currency = models.CharField(max_length=3)
    subtotal = models.DecimalField(**MONEY)
    shipping = models.DecimalField(**MONEY)
    tax = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY)
    item_count = models.PositiveIntegerField()
    shipping_address = models.JSONField()
    payment_id = models.CharField(max_length=64, blank=True)
    refund_id = models.CharField(max_length=64, blank=True)
    failure_reason = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="order_status_known"
            ),
            models.CheckConstraint(
                condition=Q(subtotal__gte=0, shipping__gte=0, tax__gte=0),
                name="order_amounts_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["user_id", "-created_at"], name="order_user_created"),
            models.Index(fields=["status", "created_at"], name="order_status_created"),
        ]

    def __str__(self) -> str:
        return f"order {self.number} ({self.status})"


class OrderLine(models.Model):
    """A product as it was sold: sku, name and price are copied from the catalog's reservation."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product_id = models.BigIntegerField()
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=255)
    unit_price = models.DecimalField(**MONEY)
    quantity = models.PositiveIntegerField()
    line_total = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_gte_1"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="order_line_price_gte_0"),
            models.UniqueConstraint(fields=["order", "product_id"], name="order_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"


class OrderStatusChange(models.Model):
    """One move through the state machine: the order's history, never edited."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.CharField(max_length=16, choices=Actor.choices)
    actor_id = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status} by {self.actor}"


class IdempotencyKey(models.Model):
    """The first answer to a checkout, kept under the client's Idempotency-Key.

    The row is inserted (claimed) and committed before any work starts, so a second request
    with the same key collides on the unique constraint instead of doing the work twice.
    `locked_until` is the claim's lease: if the process dies mid-request the key is taken over
    once the lease runs out instead of blocking the customer forever. `order_id` is decided
    at claim time, so a taken-over checkout continues the same order and the same reservation.
    """

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress"
        COMPLETED = "completed"

    user_id = models.BigIntegerField()
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    order_id = models.UUIDField(default=uuid.uuid4)
    response_status = models.PositiveSmallIntegerField(null=True)
    # The rendered JSON as text: PostgreSQL's jsonb would reorder keys, and a replay must be
    # the very same document.
    response_body = models.TextField(blank=True)
    locked_until = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_id", "key"], name="idempotency_key_unique"),
        ]
        indexes = [models.Index(fields=["expires_at"], name="idempotency_key_expires")]

    def __str__(self) -> str:
        return f"idempotency key {self.key!r} of user {self.user_id} ({self.state})"


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change it reports; the relay publishes it."""

    id = models.UUIDField(primary_key=True, editable=False)
    type = models.CharField(max_length=64)
    version = models.PositiveSmallIntegerField()
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The relay's query: unpublished rows, oldest first. Partial, so it stays small.
            models.Index(
                fields=["created_at"],
                name="outbox_unpublished",
                condition=Q(published_at__isnull=True),
            ),
            models.Index(fields=["published_at"], name="outbox_published_at"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"
