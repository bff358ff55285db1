"""The admin write API: only user tokens with the admin role, and every field checked."""

from decimal import Decimal

import pytest

from catalog.models import Product, Stock
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

COLLECTION = "/api/catalog/admin/products/"


def _item(product: Product) -> str:
    return f"{COLLECTION}{product.pk}/"


@pytest.fixture
def category():
    return CategoryFactory(slug="lighting", name="Lighting")


def _new_product(category, **overrides) -> dict:
    return {
        "sku": "LMP-100",
        "name": "Brass Lamp",
        "price": "49.90",
        "category_id": category.pk,
        **overrides,
    }


def test_admin_creates_a_product(admin_client, category):
    response = admin_client.post(
        COLLECTION,
        _new_product(category, description="Warm.", attributes={"material": "brass", "w": 2}),
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sku"] == "LMP-100"
    assert body["slug"] == "brass-lamp"
    assert body["price"] == "49.90"
    assert body["currency"] == "EUR"
    assert body["is_active"] is True
    assert body["stock"] == {"on_hand": 0, "reserved": 0, "sold": 0}
    assert body["images"][0] == "/api/catalog/images/brass-lamp/1.svg"
    assert body["category"]["path"] == [{"slug": "lighting", "name": "Lighting"}]
    assert Product.objects.get(sku="LMP-100").attributes == {"material": "brass", "w": 2}


def test_anonymous_gets_401_and_customer_403_and_nothing_is_created(
    api_client, customer_client, category
):
    anonymous = api_client.post(COLLECTION, _new_product(category), format="json")
    customer = customer_client.post(COLLECTION, _new_product(category), format="json")

    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert customer.status_code == 403
    assert customer.json()["error"]["code"] == "permission_denied"
    assert not Product.objects.exists()


def test_service_token_is_not_an_admin(service_client, category):
    response = service_client.get(COLLECTION)

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price": "0"}, "price"),
        ({"price": "-5.00"}, "price"),
        ({"price": "19.999"}, "price"),
        ({"price": "abc"}, "price"),
        ({"price": True}, "price"),
        ({"price": "100000000.00"}, "price"),
        ({"sku": "lower-case"}, "sku"),
        ({"sku": ""}, "sku"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"slug": "12345"}, "slug"),
        ({"name": ""}, "name"),
        ({"name": ["a list"]}, "name"),
        ({"category_id": "lighting"}, "category_id"),
        ({"category_id": 999999}, "category_id"),
        ({"currency": "USD"}, "currency"),
        ({"attributes": ["not", "a", "dict"]}, "attributes"),
        ({"attributes": {"nested": {"too": "deep"}}}, "attributes"),
        ({"is_active": "maybe"}, "is_active"),
        ({"id": 5}, "id"),
        ({"stock": {"on_hand": 100}}, "stock"),
        ({"images": ["https://evil.example/x.png"]}, "images"),
        ({"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
    ],
)
def test_invalid_or_server_owned_fields_are_400_and_nothing_is_created(
    admin_client, category, overrides, field
):
    response = admin_client.post(COLLECTION, _new_product(category, **overrides), format="json")

    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["details"]
    assert not Product.objects.exists()


def test_missing_fields_are_named(admin_client):
    response = admin_client.post(COLLECTION, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) == {"sku", "name", "price", "category_id"}


def test_taken_sku_or_slug_is_409_with_details(admin_client, category):
    ProductFactory(sku="LMP-100", slug="brass-lamp")

    response = admin_client.post(COLLECTION, _new_product(category), format="json")
    slug_taken = admin_client.post(
        COLLECTION, _new_product(category, sku="LMP-200", slug="brass-lamp"), format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["details"] == {
        "sku": ["A product with SKU 'LMP-100' already exists."]
    }
    assert slug_taken.status_code == 409
    assert "slug" in slug_taken.json()["error"]["details"]
    assert Product.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"sku": "A-1",}', b"\xff\xfe", b"NaN"],
    ids=["broken", "trailing comma", "not utf-8", "NaN"],
)
def test_invalid_json_is_400_invalid_json(admin_client, body):
    response = admin_client.generic("POST", COLLECTION, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    assert not Product.objects.exists()


def test_json_that_is_not_an_object_is_400(admin_client):
    response = admin_client.generic("POST", COLLECTION, b"[1, 2]", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_other_content_types_are_415(admin_client, category):
    response = admin_client.post(COLLECTION, {"sku": "X"}, format="multipart")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_admin_list_includes_inactive_products_and_stock(admin_client):
    ProductFactory(name="On sale", stock__on_hand=3, stock__reserved=1, stock__sold=2)
    ProductFactory(name="Withdrawn", is_active=False)

    everything = admin_client.get(COLLECTION, {"ordering": "name"}).json()
    inactive = admin_client.get(COLLECTION, {"is_active": "false"}).json()

    assert [p["name"] for p in everything["results"]] == ["On sale", "Withdrawn"]
    assert everything["results"][0]["stock"] == {"on_hand": 3, "reserved": 1, "sold": 2}
    assert [p["name"] for p in inactive["results"]] == ["Withdrawn"]


def test_admin_list_costs_the_same_for_any_page_size(admin_client, django_assert_num_queries):
    ProductFactory.create_batch(30)

    for page_size in (1, 30):
        # The count, the page, the category tree.
        with django_assert_num_queries(3):
            admin_client.get(COLLECTION, {"page_size": page_size})


def test_admin_reads_one_product_even_when_inactive(admin_client):
    product = ProductFactory(is_active=False)

    response = admin_client.get(_item(product))

    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_patch_changes_given_fields(admin_client):
    product = ProductFactory(name="Old", price=Decimal("10.00"))

    response = admin_client.patch(_item(product), {"price": "12.50"}, format="json")

    assert response.status_code == 200
    assert response.json()["price"] == "12.50"
    product.refresh_from_db()
    assert (product.name, product.price) == ("Old", Decimal("12.50"))


@pytest.mark.parametrize(
    "body",
    [
        {"price": "0.00"},
        {"price": "1.001"},
        {"id": 99},
        {"is_active": False},
        {"stock": {"on_hand": 5}},
        {"images": []},
        {"updated_at": "2020-01-01T00:00:00Z"},
    ],
)
def test_patch_rejects_bad_or_server_owned_fields_and_changes_nothing(admin_client, body):
    product = ProductFactory(price=Decimal("10.00"))
    before = Product.objects.values().get(pk=product.pk)

    response = admin_client.patch(_item(product), body, format="json")

    assert response.status_code == 400
    assert Product.objects.values().get(pk=product.pk) == before


def test_customer_cannot_change_a_price(customer_client):
    product = ProductFactory(price=Decimal("10.00"))

    response = customer_client.patch(_item(product), {"price": "0.01"}, format="json")

    assert response.status_code == 403
    product.refresh_from_db()
    assert product.price == Decimal("10.00")


def test_patch_unknown_product_is_404(admin_client):
    response = admin_client.patch(f"{COLLECTION}999999/", {"name": "x"}, format="json")

    assert response.status_code == 404


def test_deactivate_and_activate(admin_client, api_client):
    product = ProductFactory()

    deactivated = admin_client.post(f"{_item(product)}deactivate/")
    hidden = api_client.get(f"/api/catalog/products/{product.pk}/")
    activated = admin_client.post(f"{_item(product)}activate/")

    assert (deactivated.status_code, deactivated.json()["is_active"]) == (200, False)
    assert hidden.status_code == 404
    assert (activated.status_code, activated.json()["is_active"]) == (200, True)


def test_deactivate_rejects_a_body_with_fields(admin_client):
    product = ProductFactory()

    response = admin_client.post(f"{_item(product)}deactivate/", {"is_active": True}, format="json")

    assert response.status_code == 400
    product.refresh_from_db()
    assert product.is_active is True


def test_customer_cannot_deactivate(customer_client):
    product = ProductFactory()

    assert customer_client.post(f"{_item(product)}deactivate/").status_code == 403
    product.refresh_from_db()
    assert product.is_active is True


def test_set_stock(admin_client):
    product = ProductFactory(stock__on_hand=1, stock__reserved=2)

    response = admin_client.put(f"{_item(product)}stock/", {"on_hand": 25}, format="json")

    assert response.status_code == 200
    assert response.json()["stock"] == {"on_hand": 25, "reserved": 2, "sold": 0}


@pytest.mark.parametrize(
    "body",
    [{"on_hand": -1}, {"on_hand": "lots"}, {"on_hand": 1.5}, {}, {"on_hand": 5, "reserved": 0}],
)
def test_set_stock_rejects_bad_input_and_changes_nothing(admin_client, body):
    product = ProductFactory(stock__on_hand=1)

    response = admin_client.put(f"{_item(product)}stock/", body, format="json")

    assert response.status_code == 400
    assert Stock.objects.get(product=product).on_hand == 1


def test_customer_cannot_set_stock(customer_client):
    product = ProductFactory(stock__on_hand=1)

    assert (
        customer_client.put(f"{_item(product)}stock/", {"on_hand": 99}, format="json").status_code
        == 403
    )
    assert Stock.objects.get(product=product).on_hand == 1
