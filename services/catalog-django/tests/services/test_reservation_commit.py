from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import CatalogVersion, Reservation, Stock
from catalog.services import (
    LineRequest,
    reservation_commit,
    reservation_expire_overdue,
    reservation_release,
    reservation_reserve,
)
from shopcore.exceptions import ConflictError, NotFoundError
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _stock(product) -> tuple[int, int, int]:
    stock = Stock.objects.get(product=product)
    return stock.on_hand, stock.reserved, stock.sold


def test_moves_reserved_units_to_sold():
    product = ProductFactory(stock__on_hand=5)
    reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 2)])

    reservation = reservation_commit(order_id="o-1")

    assert reservation.status == Reservation.Status.COMMITTED
    assert _stock(product) == (3, 0, 2)


def test_leaves_the_catalog_version_alone():
    # The public reads show only the units free to sell, which a commit does not move: the
    # pages kept for the current version stay right, and stay kept.
    product = ProductFactory(stock__on_hand=5)
    reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 2)])
    version = CatalogVersion.objects.get().version

    reservation_commit(order_id="o-1")

    assert CatalogVersion.objects.get().version == version


def test_committing_twice_changes_nothing():
    product = ProductFactory(stock__on_hand=5)
    reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 2)])
    reservation_commit(order_id="o-1")

    reservation_commit(order_id="o-1")

    assert _stock(product) == (3, 0, 2)


def test_released_reservation_cannot_be_committed():
    product = ProductFactory(stock__on_hand=5)
    reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 2)])
    reservation_release(order_id="o-1")

    with pytest.raises(ConflictError):
        reservation_commit(order_id="o-1")

    assert _stock(product) == (5, 0, 0)


def test_expired_reservation_cannot_be_committed():
    product = ProductFactory(stock__on_hand=5)
    reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 2)], ttl_seconds=60)
    reservation_expire_overdue(now=timezone.now() + timedelta(minutes=2))

    with pytest.raises(ConflictError):
        reservation_commit(order_id="o-1")

    assert _stock(product) == (5, 0, 0)


def test_unknown_order_is_not_found():
    with pytest.raises(NotFoundError):
        reservation_commit(order_id="nope")
