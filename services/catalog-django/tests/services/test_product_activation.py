import pytest

from catalog.models import CatalogVersion
from catalog.services import product_activate, product_deactivate
from shopcore.exceptions import NotFoundError
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _version() -> int:
    return CatalogVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def test_deactivate_then_activate():
    product = ProductFactory()

    product_deactivate(product_id=product.pk)
    product.refresh_from_db()
    assert product.is_active is False

    product_activate(product_id=product.pk)
    product.refresh_from_db()
    assert product.is_active is True


def test_repeating_changes_nothing_more():
    product = ProductFactory()
    product_deactivate(product_id=product.pk)
    version = _version()

    product_deactivate(product_id=product.pk)

    assert _version() == version


def test_unknown_product_is_not_found():
    with pytest.raises(NotFoundError):
        product_deactivate(product_id=999_999)
