"""The internal stock API: service tokens only, all-or-nothing, idempotent per order id."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from catalog.models import Reservation, Stock
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

URL = "/internal/reservations/"


def _stock(product) -> tuple[int, int, int]:
    stock = Stock.objects.get(product=product)
    return stock.on_hand, stock.reserved, stock.sold


@pytest.fixture
def lamp():
    return ProductFactory(sku="LMP-1", name="Brass Lamp", price=Decimal("49.00"), stock__on_hand=5)


def test_reserve_then_repeat_is_201_then_200_with_the_same_body(service_client, lamp):
    body = {"order_id": "3f0c-order", "lines": [{"product_id": lamp.pk, "quantity": 2}]}

    first = service_client.post(URL, body, format="json")
    again = service_client.post(URL, body, format="json")

    assert first.status_code == 201
    assert again.status_code == 200
    assert first.json() == again.json()
    reservation = first.json()
    assert reservation["order_id"] == "3f0c-order"
    assert reservation["status"] == "active"
    assert reservation["expires_at"].endswith("Z")
    assert reservation["lines"] == [
        {
            "product_id": lamp.pk,
            "sku": "LMP-1",
            "name": "Brass Lamp",
            "quantity": 2,
            "unit_price": "49.00",
            "currency": "EUR",
        }
    ]
    assert _stock(lamp) == (3, 2, 0)


def test_out_of_stock_is_409_naming_the_lines_and_reserves_nothing(service_client, lamp):
    other = ProductFactory(stock__on_hand=10)
    body = {
        "order_id": "o-1",
        "lines": [
            {"product_id": other.pk, "quantity": 1},
            {"product_id": lamp.pk, "quantity": 6},
        ],
    }

    response = service_client.post(URL, body, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "out_of_stock"
    assert response.json()["error"]["details"] == {
        "lines": [{"product_id": lamp.pk, "requested": 6, "available": 5}]
    }
    assert _stock(lamp) == (5, 0, 0)
    assert _stock(other) == (10, 0, 0)
    assert not Reservation.objects.exists()


def test_same_order_id_with_other_lines_is_409_conflict(service_client, lamp):
    service_client.post(
        URL, {"order_id": "o-1", "lines": [{"product_id": lamp.pk, "quantity": 1}]}, format="json"
    )

    response = service_client.post(
        URL, {"order_id": "o-1", "lines": [{"product_id": lamp.pk, "quantity": 2}]}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert _stock(lamp) == (4, 1, 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lines": [{"product_id": 1, "quantity": 1}]}, "order_id"),
        ({"order_id": "", "lines": [{"product_id": 1, "quantity": 1}]}, "order_id"),
        ({"order_id": "has space", "lines": [{"product_id": 1, "quantity": 1}]}, "order_id"),
        ({"order_id": 12, "lines": "all of them"}, "lines"),
        ({"order_id": "o-1", "lines": []}, "lines"),
        ({"order_id": "o-1", "lines": [{"product_id": 1, "quantity": 0}]}, "lines"),
        ({"order_id": "o-1", "lines": [{"product_id": "one", "quantity": 1}]}, "lines"),
        (
            {"order_id": "o-1", "lines": [{"product_id": 1, "quantity": 1, "unit_price": "0.01"}]},
            "lines",
        ),
        ({"order_id": "o-1", "lines": [{"product_id": 1, "quantity": 1}] * 2}, "lines"),
        (
            {"order_id": "o-1", "lines": [{"product_id": 1, "quantity": 1}], "ttl_seconds": 5},
            "ttl_seconds",
        ),
        (
            {"order_id": "o-1", "lines": [{"product_id": 1, "quantity": 1}], "status": "committed"},
            "status",
        ),
    ],
)
def test_invalid_requests_are_400_and_reserve_nothing(service_client, lamp, body, field):
    body = {**body}
    if isinstance(body.get("lines"), list):
        body["lines"] = [
            {**line, "product_id": lamp.pk} if line.get("product_id") == 1 else line
            for line in body["lines"]
        ]

    response = service_client.post(URL, body, format="json")

    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["details"]
    assert _stock(lamp) == (5, 0, 0)
    assert not Reservation.objects.exists()


def test_unknown_product_is_400(service_client):
    response = service_client.post(
        URL, {"order_id": "o-1", "lines": [{"product_id": 999999, "quantity": 1}]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"lines": ["There is no product 999999."]}


def test_read_release_and_commit(service_client, lamp):
    service_client.post(
        URL, {"order_id": "o-1", "lines": [{"product_id": lamp.pk, "quantity": 2}]}, format="json"
    )
    service_client.post(
        URL, {"order_id": "o-2", "lines": [{"product_id": lamp.pk, "quantity": 1}]}, format="json"
    )

    read = service_client.get(f"{URL}o-1/")
    released = service_client.post(f"{URL}o-1/release/")
    released_again = service_client.post(f"{URL}o-1/release/")
    committed = service_client.post(f"{URL}o-2/commit/")
    committed_again = service_client.post(f"{URL}o-2/commit/")
    commit_released = service_client.post(f"{URL}o-1/commit/")

    assert (read.status_code, read.json()["status"]) == (200, "active")
    assert (released.status_code, released.json()["status"]) == (200, "released")
    assert released_again.json() == released.json()
    assert (committed.status_code, committed.json()["status"]) == (200, "committed")
    assert committed_again.json() == committed.json()
    assert commit_released.status_code == 409
    assert commit_released.json()["error"]["code"] == "conflict"
    assert _stock(lamp) == (4, 0, 1)


def test_unknown_order_is_404(service_client):
    assert service_client.get(f"{URL}nope/").status_code == 404
    assert service_client.post(f"{URL}nope/release/").status_code == 404
    assert service_client.post(f"{URL}nope/commit/").status_code == 404


@pytest.mark.parametrize("client_name", ["customer_client", "admin_client"])
def test_user_tokens_get_403_and_change_nothing(request, lamp, client_name):
    client = request.getfixturevalue(client_name)

    response = client.post(
        URL, {"order_id": "o-1", "lines": [{"product_id": lamp.pk, "quantity": 1}]}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert _stock(lamp) == (5, 0, 0)


def test_user_token_claiming_the_service_role_is_still_403(make_token, lamp):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(roles=('service',), aud='shop')}")

    assert client.get(f"{URL}o-1/").status_code == 403


def test_anonymous_gets_401(api_client, lamp):
    response = api_client.post(
        URL, {"order_id": "o-1", "lines": [{"product_id": lamp.pk, "quantity": 1}]}, format="json"
    )

    assert response.status_code == 401
    assert _stock(lamp) == (5, 0, 0)
