"""factory_boy factories for the models; orders built here skip checkout on purpose."""

import uuid
from decimal import Decimal

import factory

from orders.models import CartItem, Order, OrderLine, OrderStatusChange
from orders.state import Actor, Status


class CartItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartItem

    user_id = 1
    product_id = factory.Sequence(lambda n: n + 1)
    quantity = 1
    sku = factory.LazyAttribute(lambda item: f"SKU-{item.product_id:05d}")
    slug = factory.LazyAttribute(lambda item: f"product-{item.product_id}")
    name = factory.LazyAttribute(lambda item: f"Product {item.product_id}")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order
        skip_postgeneration_save = True

    id = factory.LazyFunction(uuid.uuid4)
    number = factory.Sequence(lambda n: f"250101-TEST{n:04d}")
    user_id = 1
    status = Status.PENDING_PAYMENT
    currency = "EUR"
    subtotal = Decimal("20.00")
    shipping = Decimal("4.90")
    tax = Decimal("0.00")
    total = Decimal("24.90")
    item_count = 2
    shipping_address = factory.LazyFunction(
        lambda: {
            "name": "Ada Lovelace",
            "line1": "1 Main St",
            "line2": "",
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DE",
        }
    )
    payment_id = factory.LazyAttribute(
        lambda order: "" if order.status == Status.PENDING_PAYMENT else "pay_test"
    )

    @factory.post_generation
    def lines(order, create, extracted, **kwargs):
        if create:
            OrderLine.objects.create(
                order=order,
                product_id=1,
                sku="SKU-00001",
                name="Product 1",
                unit_price=Decimal("10.00"),
                quantity=2,
                line_total=Decimal("20.00"),
            )
            OrderStatusChange.objects.create(
                order=order, from_status="", to_status=order.status, actor=Actor.CUSTOMER
            )
