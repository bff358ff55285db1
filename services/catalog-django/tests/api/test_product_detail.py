from decimal import Decimal

import pytest

from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_detail_by_slug_and_by_id(api_client, django_assert_num_queries):
    home = CategoryFactory(slug="home", name="Home")
    lighting = CategoryFactory(slug="lighting", name="Lighting", parent=home)
    product = ProductFactory(
        slug="brass-lamp",
        name="Brass Lamp",
        description="Warm light.",
        price=Decimal("49.00"),
        category=lighting,
        attributes={"material": "brass", "height_cm": 42},
        stock__on_hand=0,
    )

    # The catalog version, the product with category and stock, the category tree.
    with django_assert_num_queries(3):
        by_slug = api_client.get("/api/catalog/products/brass-lamp/")
    by_id = api_client.get(f"/api/catalog/products/{product.pk}/")

    assert by_slug.status_code == by_id.status_code == 200
    body = by_slug.json()
    assert body == by_id.json()
    assert body["description"] == "Warm light."
    assert body["images"] == [
        "/api/catalog/images/brass-lamp/1.svg",
        "/api/catalog/images/brass-lamp/2.svg",
    ]
    assert body["attributes"] == {"material": "brass", "height_cm": 42}
    assert body["category"] == {
        "id": lighting.pk,
        "slug": "lighting",
        "name": "Lighting",
        "path": [{"slug": "home", "name": "Home"}, {"slug": "lighting", "name": "Lighting"}],
    }
    assert (body["in_stock"], body["available"]) == (False, 0)
    assert body["created_at"].endswith("Z")
    assert body["updated_at"].endswith("Z")


@pytest.mark.parametrize("key", ["no-such-product", "999999"])
def test_unknown_product_is_404(api_client, key):
    response = api_client.get(f"/api/catalog/products/{key}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_inactive_product_is_404_for_the_public(api_client):
    product = ProductFactory(is_active=False)

    assert api_client.get(f"/api/catalog/products/{product.slug}/").status_code == 404
