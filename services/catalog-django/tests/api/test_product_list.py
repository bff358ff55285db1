from decimal import Decimal

import pytest

from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

URL = "/api/catalog/products/"


def test_page_of_product_summaries(api_client):
    category = CategoryFactory(slug="lighting", name="Lighting")
    product = ProductFactory(
        sku="LMP-1",
        slug="brass-lamp",
        name="Brass Lamp",
        price=Decimal("49.90"),
        category=category,
        stock__on_hand=4,
    )

    response = api_client.get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "page": 1,
        "page_size": 24,
        "total_pages": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": product.pk,
                "sku": "LMP-1",
                "slug": "brass-lamp",
                "name": "Brass Lamp",
                "price": "49.90",
                "currency": "EUR",
                "image": "/api/catalog/images/brass-lamp/1.svg",
                "category": {"id": category.pk, "slug": "lighting", "name": "Lighting"},
                "in_stock": True,
                "available": 4,
            }
        ],
    }


def test_pages_link_to_each_other(api_client):
    ProductFactory.create_batch(5)

    first = api_client.get(URL, {"page_size": 2, "ordering": "name"}).json()
    second = api_client.get(first["next"]).json()
    last = api_client.get(URL, {"page_size": 2, "page": 3}).json()

    assert (first["count"], first["total_pages"]) == (5, 3)
    assert first["next"] == f"{URL}?ordering=name&page=2&page_size=2"
    assert second["previous"] == f"{URL}?ordering=name&page=1&page_size=2"
    assert [len(page["results"]) for page in (first, second, last)] == [2, 2, 1]
    assert last["next"] is None


@pytest.mark.parametrize("page_size", [1, 100])
def test_constant_number_of_queries(api_client, django_assert_num_queries, page_size):
    parent = CategoryFactory()
    child = CategoryFactory(parent=parent)
    ProductFactory.create_batch(60, category=child)
    ProductFactory.create_batch(60)

    # The catalog version, the count, the page.
    with django_assert_num_queries(3):
        response = api_client.get(URL, {"page_size": page_size, "ordering": "price"})
    assert len(response.json()["results"]) == page_size

    # With a category filter: plus one query for the whole category tree.
    with django_assert_num_queries(4):
        response = api_client.get(URL, {"page_size": page_size, "category": parent.slug})
    assert len(response.json()["results"]) == min(page_size, 60)


def test_filters_and_search_through_the_api(api_client):
    lighting = CategoryFactory(slug="lighting")
    ProductFactory(name="Brass Lamp", price=Decimal("49.00"), category=lighting)
    ProductFactory(name="Paper Lamp", price=Decimal("19.00"), category=lighting, stock__on_hand=0)
    ProductFactory(name="Copper Pan", price=Decimal("39.00"))

    def names(**params) -> list[str]:
        return [p["name"] for p in api_client.get(URL, params).json()["results"]]

    assert names(category="lighting", ordering="name") == ["Brass Lamp", "Paper Lamp"]
    assert names(min_price="20", max_price="45.50") == ["Copper Pan"]
    assert names(in_stock="true", q="lamp") == ["Brass Lamp"]
    assert names(in_stock="false") == ["Paper Lamp"]


def test_ids_for_other_services(api_client):
    first, second, _ = ProductFactory.create_batch(3)

    response = api_client.get(URL, {"ids": f"{second.pk},{first.pk}", "ordering": "name"})

    assert [p["id"] for p in response.json()["results"]] == [first.pk, second.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "1000000"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"min_price": "abc"}, "min_price"),
        ({"max_price": "-1"}, "max_price"),
        ({"min_price": "30", "max_price": "10"}, "max_price"),
        ({"ordering": "foo"}, "ordering"),
        ({"in_stock": "maybe"}, "in_stock"),
        ({"ids": "1,x"}, "ids"),
        ({"ids": ",".join(str(n) for n in range(1, 102))}, "ids"),
        ({"q": "x" * 201}, "q"),
        ({"category": "no such category"}, "category"),
        ({"category": "unknown-slug"}, "category"),
    ],
)
def test_invalid_parameters_are_400_naming_the_field(api_client, params, field):
    ProductFactory()

    response = api_client.get(URL, params)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["details"]


def test_page_past_the_end_is_404(api_client):
    ProductFactory.create_batch(3)

    response = api_client.get(URL, {"page": 2})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_empty_catalog_has_an_empty_first_page(api_client):
    body = api_client.get(URL).json()

    assert (body["count"], body["total_pages"], body["results"]) == (0, 0, [])


def test_deactivated_products_are_not_listed(api_client):
    ProductFactory(name="Gone", is_active=False)

    assert api_client.get(URL).json()["count"] == 0
