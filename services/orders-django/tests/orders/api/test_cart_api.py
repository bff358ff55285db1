"""The cart: kept per user on the server, priced live by the catalog."""

import pytest

from orders.models import CartItem
from tests.helpers import add_to_cart, error_code

pytestmark = pytest.mark.django_db


def _product_list_calls(catalog) -> int:
    return sum(1 for method, path, _ in catalog.requests if path == "/api/catalog/products/")


def test_an_empty_cart(customer, catalog):
    response = customer.get("/api/cart/")

    assert response.status_code == 200
    assert response.json() == {"items": [], "subtotal": "0.00", "currency": "EUR", "item_count": 0}
    assert _product_list_calls(catalog) == 0


def test_add_items_and_read_the_cart_with_live_prices(customer, catalog):
    add_to_cart(customer, 1, 2)
    response = add_to_cart(customer, 2, 1)

    cart = response.json()
    assert cart["subtotal"] == "45.50"
    assert cart["item_count"] == 3
    assert cart["items"][0] == {
        "product_id": 1,
        "sku": "SKU-00001",
        "slug": "product-1",
        "name": "Product 1",
        "image": "/api/catalog/images/product-1/1.svg",
        "unit_price": "10.00",
        "currency": "EUR",
        "quantity": 2,
        "line_total": "20.00",
        "available": True,
        "in_stock": True,
    }
    catalog.products[1].price = catalog.products[1].price * 2
    catalog.requests.clear()

    again = customer.get("/api/cart/").json()

    assert again["items"][0]["unit_price"] == "20.00"
    assert again["subtotal"] == "65.50"
    assert _product_list_calls(catalog) == 1  # one catalog call per cart view


def test_adding_the_same_product_adds_to_its_quantity(customer, catalog):
    add_to_cart(customer, 1, 2)

    cart = add_to_cart(customer, 1, 3).json()

    assert [(item["product_id"], item["quantity"]) for item in cart["items"]] == [(1, 5)]


def test_quantity_limits(customer, catalog, settings):
    settings.CART_MAX_QUANTITY = 5
    add_to_cart(customer, 1, 4)

    too_many = customer.post("/api/cart/items/", {"product_id": 1, "quantity": 2})
    zero = customer.post("/api/cart/items/", {"product_id": 1, "quantity": 0})

    assert too_many.status_code == zero.status_code == 400
    assert "quantity" in too_many.json()["error"]["details"]
    assert CartItem.objects.get().quantity == 4


def test_a_product_the_catalog_does_not_sell_cannot_be_added(customer, catalog):
    catalog.products[2].active = False

    for product_id in (2, 999):
        response = customer.post("/api/cart/items/", {"product_id": product_id, "quantity": 1})
        assert response.status_code == 400
        assert "product_id" in response.json()["error"]["details"]
    assert not CartItem.objects.exists()


def test_a_product_that_left_the_catalog_shows_as_unavailable(customer, catalog):
    add_to_cart(customer, 1, 1)
    add_to_cart(customer, 2, 1)
    catalog.products[2].active = False

    cart = customer.get("/api/cart/").json()

    gone = cart["items"][1]
    assert (gone["product_id"], gone["available"], gone["in_stock"]) == (2, False, False)
    assert gone["name"] == "Product 2"  # kept from when it was added
    assert gone["unit_price"] is None
    assert gone["line_total"] is None
    assert cart["subtotal"] == "10.00"


def test_in_stock_says_whether_the_quantity_can_be_sold_now(customer, catalog):
    add_to_cart(customer, 1, 3)
    catalog.products[1].on_hand = 2

    item = customer.get("/api/cart/").json()["items"][0]

    assert (item["available"], item["in_stock"]) == (True, False)


def test_change_quantity_and_remove(customer, catalog):
    add_to_cart(customer, 1, 1)
    add_to_cart(customer, 2, 1)

    changed = customer.patch("/api/cart/items/1/", {"quantity": 4})
    removed = customer.delete("/api/cart/items/2/")

    assert changed.status_code == removed.status_code == 200
    assert [(item["product_id"], item["quantity"]) for item in removed.json()["items"]] == [(1, 4)]
    assert customer.patch("/api/cart/items/2/", {"quantity": 1}).status_code == 404
    assert customer.delete("/api/cart/items/2/").status_code == 404


def test_clear_the_cart(customer, catalog):
    add_to_cart(customer, 1, 1)

    response = customer.delete("/api/cart/")

    assert response.status_code == 200
    assert response.json()["items"] == []
    assert not CartItem.objects.exists()


def test_carts_are_per_user(customer, other_customer, catalog):
    add_to_cart(customer, 1, 1)

    assert other_customer.get("/api/cart/").json()["items"] == []
    assert other_customer.delete("/api/cart/items/1/").status_code == 404
    assert CartItem.objects.filter(user_id=1).exists()


@pytest.mark.parametrize(
    "body",
    [
        {"product_id": 1, "quantity": 1, "unit_price": "0.01"},
        {"product_id": 1, "quantity": 1, "user_id": 2},
        {"product_id": "one", "quantity": 1},
        {"quantity": 1},
    ],
)
def test_bad_or_unknown_fields_are_400_and_change_nothing(customer, catalog, body):
    response = customer.post("/api/cart/items/", body)

    assert response.status_code == 400
    assert error_code(response) == "validation_error"
    assert not CartItem.objects.exists()


def test_invalid_json_is_400(customer, catalog):
    response = customer.generic(
        "POST", "/api/cart/items/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert error_code(response) == "invalid_json"


def test_catalog_down_is_503_not_500(customer, catalog):
    add_to_cart(customer, 1, 1)
    catalog.stop()

    read = customer.get("/api/cart/")
    add = customer.post("/api/cart/items/", {"product_id": 2, "quantity": 1})

    assert read.status_code == add.status_code == 503
    assert error_code(read) == error_code(add) == "service_unavailable"
    assert CartItem.objects.count() == 1


def test_the_cart_needs_a_signed_in_user(client):
    assert client.get("/api/cart/").status_code == 401
