import pytest

from catalog.models import Stock
from catalog.services import stock_set
from shopcore.exceptions import InvalidInputError, NotFoundError
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_sets_units_on_hand_and_keeps_reserved_and_sold():
    product = ProductFactory(stock__on_hand=3, stock__reserved=2, stock__sold=5)

    stock_set(product_id=product.pk, on_hand=40)

    stock = Stock.objects.get(product=product)
    assert (stock.on_hand, stock.reserved, stock.sold) == (40, 2, 5)


def test_creates_missing_stock_row():
    product = ProductFactory(stock=None)

    stock_set(product_id=product.pk, on_hand=4)

    assert Stock.objects.get(product=product).on_hand == 4


def test_negative_is_invalid():
    product = ProductFactory(stock__on_hand=3)

    with pytest.raises(InvalidInputError):
        stock_set(product_id=product.pk, on_hand=-1)

    assert Stock.objects.get(product=product).on_hand == 3


def test_unknown_product_is_not_found():
    with pytest.raises(NotFoundError):
        stock_set(product_id=999_999, on_hand=1)
