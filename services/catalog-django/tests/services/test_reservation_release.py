import pytest

from catalog.models import CatalogVersion, Reservation, Stock
from catalog.services import (
    LineRequest,
    reservation_commit,
    reservation_release,
    reservation_reserve,
)
from shopcore.exceptions import ConflictError, NotFoundError
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _stock(product) -> tuple[int, int, int]:
    stock = Stock.objects.get(product=product)
    return stock.on_hand, stock.reserved, stock.sold


def test_gives_reserved_units_back():
    product = ProductFactory(stock__on_hand=5)
    reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 2)])

    reservation = reservation_release(order_id="o-1")

    assert reservation.status == Reservation.Status.RELEASED
    assert _stock(product) == (5, 0, 0)


def test_releasing_twice_changes_nothing():
    product = ProductFactory(stock__on_hand=5)
    reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 2)])
    reservation_release(order_id="o-1")

    reservation = reservation_release(order_id="o-1")

    assert reservation.status == Reservation.Status.RELEASED
    assert _stock(product) == (5, 0, 0)


def test_releasing_a_committed_reservation_returns_sold_units():
    # A paid order cancelled before shipping.
    product = ProductFactory(stock__on_hand=5)
    reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 2)])
    reservation_commit(order_id="o-1")

    reservation_release(order_id="o-1")

    assert _stock(product) == (5, 0, 0)


def test_keep_sold_refuses_to_release_a_committed_reservation():
    # A payment failure must not undo a sale.
    product = ProductFactory(stock__on_hand=5)
    reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 2)])
    reservation_commit(order_id="o-1")

    with pytest.raises(ConflictError):
        reservation_release(order_id="o-1", keep_sold=True)

    assert Reservation.objects.get(order_id="o-1").status == Reservation.Status.COMMITTED
    assert _stock(product) == (3, 0, 2)


def test_keep_sold_still_releases_an_active_reservation():
    product = ProductFactory(stock__on_hand=5)
    reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 2)])

    reservation = reservation_release(order_id="o-1", keep_sold=True)

    assert reservation.status == Reservation.Status.RELEASED
    assert _stock(product) == (5, 0, 0)


def test_unknown_order_is_not_found():
    with pytest.raises(NotFoundError):
        reservation_release(order_id="nope")


@pytest.mark.parametrize("committed", [False, True])
def test_bumps_the_catalog_version(committed):
    # Released units are free to sell again: the public reads show them.
    product = ProductFactory(stock__on_hand=5)
    reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 2)])
    if committed:
        reservation_commit(order_id="o-1")
    version = CatalogVersion.objects.get().version

    reservation_release(order_id="o-1")

    assert CatalogVersion.objects.get().version == version + 1
