from decimal import Decimal

import pytest

from catalog.models import CatalogVersion, Product, Stock
from catalog.services import product_create
from shopcore.exceptions import ConflictError, InvalidInputError
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_creates_product_with_empty_stock_and_generated_images():
    category = CategoryFactory()

    product = product_create(
        sku="LAMP-1", name="Brass Table Lamp", price=Decimal("49.00"), category_id=category.pk
    )

    product.refresh_from_db()
    assert product.slug == "brass-table-lamp"
    assert product.images == [
        "/api/catalog/images/brass-table-lamp/1.svg",
        "/api/catalog/images/brass-table-lamp/2.svg",
        "/api/catalog/images/brass-table-lamp/3.svg",
    ]
    stock = Stock.objects.get(product=product)
    assert (stock.on_hand, stock.reserved, stock.sold) == (0, 0, 0)


def test_bumps_the_catalog_version():
    category = CategoryFactory()
    before = CatalogVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0

    product_create(sku="LAMP-1", name="Lamp", price=Decimal("1.00"), category_id=category.pk)

    assert CatalogVersion.objects.get(pk=1).version == before + 1


def test_slug_from_name_avoids_taken_slugs_and_bare_numbers():
    category = CategoryFactory()
    ProductFactory(slug="desk-lamp")

    second = product_create(
        sku="A-100", name="Desk Lamp", price=Decimal(5), category_id=category.pk
    )
    numeric = product_create(sku="A-101", name="1984", price=Decimal(5), category_id=category.pk)

    assert second.slug == "desk-lamp-2"
    assert numeric.slug == "product-1984"


def test_taken_sku_and_slug_are_a_conflict_naming_both():
    category = CategoryFactory()
    ProductFactory(sku="LAMP-1", slug="lamp")

    with pytest.raises(ConflictError) as raised:
        product_create(
            sku="LAMP-1", slug="lamp", name="Lamp", price=Decimal(5), category_id=category.pk
        )

    assert set(raised.value.details) == {"sku", "slug"}
    assert Product.objects.count() == 1


def test_unknown_category_is_invalid_and_creates_nothing():
    with pytest.raises(InvalidInputError) as raised:
        product_create(sku="LAMP-1", name="Lamp", price=Decimal(5), category_id=999_999)

    assert "category_id" in raised.value.details
    assert not Product.objects.exists()
