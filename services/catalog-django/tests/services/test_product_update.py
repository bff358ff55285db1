from decimal import Decimal

import pytest

from catalog.models import CatalogVersion
from catalog.services import product_update
from shopcore.exceptions import ConflictError, InvalidInputError, NotFoundError
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_changes_only_the_given_fields():
    product = ProductFactory(name="Old name", price=Decimal("10.00"))

    product_update(product_id=product.pk, changes={"price": Decimal("12.50")})

    product.refresh_from_db()
    assert product.price == Decimal("12.50")
    assert product.name == "Old name"


def test_new_slug_moves_the_image_paths():
    product = ProductFactory(slug="old-slug")

    product_update(product_id=product.pk, changes={"slug": "new-slug"})

    product.refresh_from_db()
    assert product.images == [
        "/api/catalog/images/new-slug/1.svg",
        "/api/catalog/images/new-slug/2.svg",
    ]


def test_sku_of_another_product_is_a_conflict_and_nothing_changes():
    ProductFactory(sku="TAKEN-1")
    product = ProductFactory(sku="MINE-1", name="Mine")

    with pytest.raises(ConflictError) as raised:
        product_update(product_id=product.pk, changes={"sku": "TAKEN-1", "name": "Renamed"})

    assert list(raised.value.details) == ["sku"]
    product.refresh_from_db()
    assert (product.sku, product.name) == ("MINE-1", "Mine")


def test_keeping_its_own_sku_is_fine():
    product = ProductFactory(sku="MINE-1")

    product_update(product_id=product.pk, changes={"sku": "MINE-1", "name": "Renamed"})

    product.refresh_from_db()
    assert product.name == "Renamed"


def test_moves_to_another_category_only_if_it_exists():
    product = ProductFactory()
    other = CategoryFactory()

    product_update(product_id=product.pk, changes={"category_id": other.pk})
    with pytest.raises(InvalidInputError):
        product_update(product_id=product.pk, changes={"category_id": 999_999})

    product.refresh_from_db()
    assert product.category_id == other.pk


def test_unknown_product_is_not_found():
    with pytest.raises(NotFoundError):
        product_update(product_id=999_999, changes={"name": "x"})


def test_no_changes_leave_the_catalog_version_alone():
    product = ProductFactory()
    before = CatalogVersion.objects.filter(pk=1).values_list("version", flat=True).first()

    product_update(product_id=product.pk, changes={})

    assert CatalogVersion.objects.filter(pk=1).values_list("version", flat=True).first() == before
