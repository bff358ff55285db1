"""The database itself refuses what must never happen, on PostgreSQL and on SQLite."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from catalog.models import Product, ReservationLine, Stock
from tests.factories import ProductFactory, ReservationFactory

pytestmark = pytest.mark.django_db(databases=["default", "sqlite"])


@pytest.mark.parametrize("counter", ["on_hand", "reserved", "sold"])
def test_stock_counters_cannot_go_negative(database, counter):
    product = ProductFactory(stock__on_hand=1)

    with pytest.raises(IntegrityError), transaction.atomic(using=Stock.objects.db):
        Stock.objects.filter(product=product).update(**{counter: F(counter) - 2})


@pytest.mark.parametrize("price", [Decimal("0.00"), Decimal("-1.00")])
def test_price_must_be_positive(database, price):
    product = ProductFactory()

    with pytest.raises(IntegrityError), transaction.atomic(using=Product.objects.db):
        Product.objects.filter(pk=product.pk).update(price=price)


def test_reservation_lines_need_a_positive_quantity(database):
    reservation = ReservationFactory()
    product = ProductFactory()

    with pytest.raises(IntegrityError), transaction.atomic(using=ReservationLine.objects.db):
        ReservationLine.objects.create(
            reservation=reservation, product=product, quantity=0, unit_price=Decimal("1.00")
        )
