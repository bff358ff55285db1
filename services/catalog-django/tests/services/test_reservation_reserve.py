from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Reservation, Stock
from catalog.services import LineRequest, OutOfStockError, reservation_reserve
from shopcore.exceptions import ConflictError, InvalidInputError
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _stock(product) -> tuple[int, int, int]:
    stock = Stock.objects.get(product=product)
    return stock.on_hand, stock.reserved, stock.sold


def test_moves_units_from_on_hand_to_reserved_and_snapshots_prices():
    lamp = ProductFactory(price=Decimal("49.00"), stock__on_hand=5)
    mug = ProductFactory(price=Decimal("9.50"), stock__on_hand=2)

    reservation, created = reservation_reserve(
        order_id="order-1",
        lines=[LineRequest(lamp.pk, 2), LineRequest(mug.pk, 2)],
    )

    assert created is True
    assert reservation.status == Reservation.Status.ACTIVE
    assert _stock(lamp) == (3, 2, 0)
    assert _stock(mug) == (0, 2, 0)
    prices = dict(reservation.lines.values_list("product_id", "unit_price"))
    assert prices == {lamp.pk: Decimal("49.00"), mug.pk: Decimal("9.50")}


def test_expires_after_the_ttl(settings):
    product = ProductFactory()
    before = timezone.now()

    default, _ = reservation_reserve(order_id="a", lines=[LineRequest(product.pk, 1)])
    short, _ = reservation_reserve(order_id="b", lines=[LineRequest(product.pk, 1)], ttl_seconds=60)

    ttl = timedelta(seconds=settings.CATALOG_RESERVATION_TTL_SECONDS)
    assert before + ttl <= default.expires_at <= timezone.now() + ttl
    assert short.expires_at <= timezone.now() + timedelta(seconds=60)


def test_all_or_nothing_when_one_line_is_short():
    plenty = ProductFactory(stock__on_hand=10)
    scarce = ProductFactory(stock__on_hand=1)

    with pytest.raises(OutOfStockError) as raised:
        reservation_reserve(
            order_id="order-1",
            lines=[LineRequest(plenty.pk, 3), LineRequest(scarce.pk, 2)],
        )

    assert raised.value.details == {
        "lines": [{"product_id": scarce.pk, "requested": 2, "available": 1}]
    }
    assert _stock(plenty) == (10, 0, 0)
    assert _stock(scarce) == (1, 0, 0)
    assert not Reservation.objects.exists()


def test_every_short_line_is_named():
    first = ProductFactory(stock__on_hand=0)
    second = ProductFactory(stock__on_hand=1)

    with pytest.raises(OutOfStockError) as raised:
        reservation_reserve(
            order_id="order-1", lines=[LineRequest(first.pk, 1), LineRequest(second.pk, 5)]
        )

    assert [line["product_id"] for line in raised.value.details["lines"]] == [
        first.pk,
        second.pk,
    ]


def test_inactive_product_has_nothing_available():
    product = ProductFactory(is_active=False, stock__on_hand=10)

    with pytest.raises(OutOfStockError) as raised:
        reservation_reserve(order_id="order-1", lines=[LineRequest(product.pk, 1)])

    assert raised.value.details["lines"][0]["available"] == 0
    assert _stock(product) == (10, 0, 0)


def test_repeat_with_same_order_id_returns_the_first_reservation():
    product = ProductFactory(stock__on_hand=5)
    first, created_first = reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 2)])

    again, created_again = reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 2)])

    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk
    assert _stock(product) == (3, 2, 0)


def test_same_order_id_with_other_lines_is_a_conflict():
    product = ProductFactory(stock__on_hand=5)
    reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 2)])

    with pytest.raises(ConflictError):
        reservation_reserve(order_id="o-1", lines=[LineRequest(product.pk, 3)])

    assert _stock(product) == (3, 2, 0)


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [LineRequest(1, 0)],
        [LineRequest(1, 1), LineRequest(1, 2)],
    ],
    ids=["no lines", "zero quantity", "duplicate product"],
)
def test_malformed_lines_are_invalid(lines):
    with pytest.raises(InvalidInputError):
        reservation_reserve(order_id="o-1", lines=lines)


def test_unknown_product_is_invalid_and_reserves_nothing():
    product = ProductFactory(stock__on_hand=5)

    with pytest.raises(InvalidInputError) as raised:
        reservation_reserve(
            order_id="o-1", lines=[LineRequest(product.pk, 1), LineRequest(999_999, 1)]
        )

    assert raised.value.details == {"lines": ["There is no product 999999."]}
    assert _stock(product) == (5, 0, 0)
    assert not Reservation.objects.exists()
