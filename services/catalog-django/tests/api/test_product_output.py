"""The public product reads build their answers from plain rows, not from the serializers.

The serializers are what the OpenAPI document declares, so the rows must come out exactly as
the serializers would have made them from the products, down to the bytes of the JSON, on
PostgreSQL and on SQLite.
"""

from decimal import Decimal

import pytest
from rest_framework.renderers import JSONRenderer

from catalog.api.serializers import (
    ProductDetailOutput,
    ProductSummaryOutput,
    product_detail_data,
    product_summary_data,
)
from catalog.selectors import (
    ProductFilters,
    category_tree_get,
    product_detail_row,
    product_get,
    product_summary_rows,
)
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db(databases=["default", "sqlite"])


def _json(data) -> bytes:
    return JSONRenderer().render(data)


@pytest.fixture
def products(database) -> list:
    lighting = CategoryFactory(slug="lighting", name="Lighting", parent=CategoryFactory())
    return [
        ProductFactory(category=lighting, price=Decimal("49.90"), stock__on_hand=4),
        ProductFactory(price=Decimal("99999999.99"), stock__on_hand=0, images=[]),
        ProductFactory(stock=None, attributes={"height_cm": 42, "dimmable": True, "note": "é"}),
        ProductFactory(is_active=False, stock__on_hand=7),
    ]


def test_summaries_are_what_the_serializer_declares(products):
    rows = product_summary_rows(filters=ProductFilters(is_active=None))

    assert len(rows) == len(products)
    for row in rows:
        declared = ProductSummaryOutput(product_get(key=str(row["id"]), active_only=False)).data
        assert _json(product_summary_data(row)) == _json(declared)


def test_details_are_what_the_serializer_declares(products):
    tree = category_tree_get()

    for product in products[:3]:
        row = product_detail_row(key=product.slug)
        path = tree.path(row["category_id"])
        declared = ProductDetailOutput(
            product_get(key=product.slug), context={"category_path": path}
        )

        assert _json(product_detail_data(row, category_path=path)) == _json(declared.data)
