from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Reservation, Stock
from catalog.services import LineRequest, reservation_expire_overdue, reservation_reserve
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_expires_only_active_reservations_past_their_time():
    product = ProductFactory(stock__on_hand=10)
    reservation_reserve(order_id="due", lines=[LineRequest(product.pk, 3)], ttl_seconds=60)
    reservation_reserve(order_id="later", lines=[LineRequest(product.pk, 2)], ttl_seconds=3600)

    expired = reservation_expire_overdue(now=timezone.now() + timedelta(minutes=5))

    assert expired == 1
    statuses = dict(Reservation.objects.values_list("order_id", "status"))
    assert statuses == {"due": "expired", "later": "active"}
    stock = Stock.objects.get(product=product)
    assert (stock.on_hand, stock.reserved) == (8, 2)


def test_running_again_finds_nothing():
    product = ProductFactory(stock__on_hand=10)
    reservation_reserve(order_id="due", lines=[LineRequest(product.pk, 3)], ttl_seconds=60)
    later = timezone.now() + timedelta(minutes=5)
    reservation_expire_overdue(now=later)

    assert reservation_expire_overdue(now=later) == 0
    assert Stock.objects.get(product=product).on_hand == 10


def test_limit_bounds_one_run():
    product = ProductFactory(stock__on_hand=10)
    for number in range(3):
        reservation_reserve(
            order_id=f"due-{number}", lines=[LineRequest(product.pk, 1)], ttl_seconds=60
        )

    assert reservation_expire_overdue(now=timezone.now() + timedelta(minutes=5), limit=2) == 2
    assert Reservation.objects.filter(status="active").count() == 1
