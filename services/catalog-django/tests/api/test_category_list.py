import pytest

from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_the_tree_with_counts(api_client, django_assert_num_queries):
    home = CategoryFactory(slug="home", name="Home")
    lighting = CategoryFactory(slug="lighting", name="Lighting", parent=home)
    garden = CategoryFactory(slug="garden", name="Garden", position=5)
    ProductFactory.create_batch(2, category=lighting)
    ProductFactory(category=home)

    with django_assert_num_queries(3):
        response = api_client.get("/api/catalog/categories/")

    assert response.json() == [
        {
            "id": home.pk,
            "slug": "home",
            "name": "Home",
            "product_count": 3,
            "children": [
                {
                    "id": lighting.pk,
                    "slug": "lighting",
                    "name": "Lighting",
                    "product_count": 2,
                    "children": [],
                }
            ],
        },
        {"id": garden.pk, "slug": "garden", "name": "Garden", "product_count": 0, "children": []},
    ]
