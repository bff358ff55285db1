import io
from collections import Counter

import pytest
from django.core.management import call_command

from catalog.models import Category, Product, Stock

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seeds_a_demo_catalog_once():
    first = _seed()
    snapshot = list(Product.objects.order_by("sku").values_list("sku", "price", "stock__on_hand"))
    second = _seed()

    assert "210 products created" in first
    assert "0 categories and 0 products created" in second
    assert Product.objects.count() == 210
    assert (
        list(Product.objects.order_by("sku").values_list("sku", "price", "stock__on_hand"))
        == snapshot
    )


def test_tree_of_categories_with_varied_products():
    _seed()

    roots = Category.objects.filter(parent=None)
    assert Category.objects.count() >= 8
    assert roots.count() >= 4
    assert all(root.children.exists() for root in roots)
    per_leaf = Counter(Product.objects.values_list("category__slug", flat=True))
    assert len(per_leaf) >= 8
    assert not Product.objects.filter(category__in=roots).exists()

    prices = set(Product.objects.values_list("price", flat=True))
    assert len(prices) > 50
    assert min(prices) > 0
    assert 1 <= Stock.objects.filter(on_hand=0).count() <= 30
    assert all(product.attributes for product in Product.objects.all())
    assert {len(images) for images in Product.objects.values_list("images", flat=True)} == {2, 3, 4}
    assert len(set(Product.objects.values_list("created_at", flat=True))) == 210


def test_every_seeded_image_is_served(api_client):
    _seed()
    product = Product.objects.order_by("?").first()

    for path in product.images:
        assert api_client.get(path).status_code == 200


def test_keeps_changes_made_after_seeding():
    _seed()
    Product.objects.filter(sku="CKW-0001").update(name="Renamed by staff")

    _seed()

    assert Product.objects.get(sku="CKW-0001").name == "Renamed by staff"
