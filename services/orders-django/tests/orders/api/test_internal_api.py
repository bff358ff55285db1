"""/internal/orders/<id>/: the order for other services (notify), with service tokens only."""

import uuid

import pytest
from rest_framework.test import APIClient

from orders.models import OutboxEvent
from orders.state import Status
from tests.factories import OrderFactory
from tests.helpers import add_to_cart, checkout

pytestmark = pytest.mark.django_db


def _client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _service_token(fake_auth) -> str:
    return fake_auth.token(sub="service:notify", roles=["service"], audience="shop-internal")


def test_a_service_reads_any_order_with_its_owner(fake_auth):
    order = OrderFactory(user_id=7, status=Status.PAID)

    response = _client(_service_token(fake_auth)).get(f"/internal/orders/{order.id}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["user_id"], body["status"]) == (str(order.id), 7, "paid")
    assert body["lines"][0]["sku"] == "SKU-00001"


def test_missing_order_is_404(fake_auth):
    response = _client(_service_token(fake_auth)).get(f"/internal/orders/{uuid.uuid4()}/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "make_token",
    [
        lambda auth: auth.user_token(1),  # a customer token: wrong audience
        lambda auth: auth.user_token(99, roles=["admin"]),
        lambda auth: auth.token(sub="service:x", roles=["customer"], audience="shop-internal"),
    ],
)
def test_user_tokens_and_tokens_without_the_service_role_are_refused(fake_auth, make_token):
    order = OrderFactory()

    response = _client(make_token(fake_auth)).get(f"/internal/orders/{order.id}/")

    assert response.status_code in (401, 403)


def test_a_service_token_is_not_accepted_on_the_public_api(fake_auth):
    response = _client(_service_token(fake_auth)).get("/api/orders/")

    assert response.status_code == 403


# What an order event carries of the order (`data.order`), as keys of the internal answer.
CARRIED = ("subtotal", "shipping", "tax", "total", "currency", "shipping_address")
LINE = ("product_id", "sku", "name", "quantity", "unit_price", "line_total")


def test_every_event_carries_the_order_as_this_api_serves_it(fake_auth, customer, admin, catalog):
    """notify writes its e-mails from `data.order` and reads this API only for events without
    it: both must give the same e-mail, so both must say the same."""
    add_to_cart(customer, 1, 2)
    add_to_cart(customer, 2, 1)
    order_id = checkout(customer).json()["id"]
    admin.post(f"/api/orders/{order_id}/ship/")
    served = _client(_service_token(fake_auth)).get(f"/internal/orders/{order_id}/").json()
    expected = {key: served[key] for key in CARRIED} | {
        "lines": [{key: line[key] for key in LINE} for line in served["lines"]]
    }

    events = OutboxEvent.objects.order_by("created_at", "id")

    assert [event.type for event in events] == ["order.placed", "order.paid", "order.shipped"]
    for event in events:
        assert event.payload["data"]["order"] == expected
