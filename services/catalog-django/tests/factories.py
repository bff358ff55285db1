"""factory_boy factories for the catalog's models, and the events orders-django sends."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from catalog.images import image_paths
from catalog.models import Category, Product, Reservation, ReservationLine, Stock


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    parent = None


class ProductFactory(DjangoModelFactory):
    """A product with stock (10 on hand unless `stock__on_hand` says otherwise)."""

    class Meta:
        model = Product
        skip_postgeneration_save = True

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    name = factory.Sequence(lambda n: f"Product {n}")
    description = "A product for tests."
    price = Decimal("19.99")
    category = factory.SubFactory(CategoryFactory)
    images = factory.LazyAttribute(lambda product: image_paths(product.slug, 2))
    attributes = factory.LazyFunction(dict)
    stock = factory.RelatedFactory("tests.factories.StockFactory", factory_related_name="product")


class StockFactory(DjangoModelFactory):
    class Meta:
        model = Stock

    product = factory.SubFactory(ProductFactory, stock=None)
    on_hand = 10
    reserved = 0
    sold = 0


class ReservationFactory(DjangoModelFactory):
    class Meta:
        model = Reservation

    order_id = factory.Sequence(lambda n: f"order-{n}")
    status = Reservation.Status.ACTIVE
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=15))


class ReservationLineFactory(DjangoModelFactory):
    class Meta:
        model = ReservationLine

    reservation = factory.SubFactory(ReservationFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 1
    unit_price = factory.LazyAttribute(lambda line: line.product.price)


def envelope(event_type: str, data: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """An event as an outbox relay delivers it (contracts/events/envelope.schema.json)."""
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "version": 1,
        "source": "orders",
        "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "correlation_id": uuid.uuid4().hex,
        "data": data,
        **fields,
    }


def order_event(event_type: str, order_id: str, **data: Any) -> dict[str, Any]:
    """An order event with the data its schema requires; keywords change or add fields."""
    base: dict[str, Any] = {"order_id": order_id, "number": "SO-000042", "user_id": 7}
    extra: dict[str, dict[str, Any]] = {
        "order.paid": {"total": "39.98", "currency": "EUR", "payment_id": "pay_test_1"},
        "order.payment_failed": {"reason": "declined"},
        "order.cancelled": {"cancelled_by": "customer", "was_paid": False},
    }
    return envelope(event_type, {**base, **extra.get(event_type, {}), **data})
