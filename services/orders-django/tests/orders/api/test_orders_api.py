"""Order history, cancel, and the admin's ship / deliver / list, with their access rules."""

import uuid

import pytest

from orders.models import Order, OrderStatusChange, OutboxEvent
from orders.state import Status
from tests.contracts import assert_valid_event
from tests.factories import OrderFactory
from tests.helpers import add_to_cart, checkout, error_code

pytestmark = pytest.mark.django_db


def test_list_shows_only_my_orders_newest_first_paginated(customer):
    mine = [OrderFactory(user_id=1) for _ in range(3)]
    OrderFactory(user_id=2)

    response = customer.get("/api/orders/?page_size=2")

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["page_size"], body["total_pages"]) == (3, 1, 2, 2)
    assert body["previous"] is None
    assert body["next"] is not None
    assert [order["id"] for order in body["results"]] == [str(mine[2].id), str(mine[1].id)]
    assert set(body["results"][0]) == {
        "id",
        "number",
        "status",
        "total",
        "currency",
        "item_count",
        "created_at",
    }
    assert customer.get("/api/orders/?page=2&page_size=2").json()["results"][0]["id"] == str(
        mine[0].id
    )


@pytest.mark.parametrize("query", ["page=0", "page=x", "page_size=101"])
def test_bad_paging_is_400(customer, query):
    response = customer.get(f"/api/orders/?{query}")

    assert response.status_code == 400
    assert error_code(response) == "validation_error"


def test_detail_of_my_order(customer):
    order = OrderFactory(user_id=1, status=Status.PAID)

    response = customer.get(f"/api/orders/{order.id}/")

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == order.number
    assert body["lines"] == [
        {
            "product_id": 1,
            "sku": "SKU-00001",
            "name": "Product 1",
            "unit_price": "10.00",
            "quantity": 2,
            "line_total": "20.00",
        }
    ]
    assert (body["subtotal"], body["shipping"], body["tax"], body["total"]) == (
        "20.00",
        "4.90",
        "0.00",
        "24.90",
    )
    assert body["history"][0]["actor"] == "customer"
    assert body["can_cancel"] is True


def test_another_users_order_is_404_like_a_missing_one(customer, other_customer):
    order = OrderFactory(user_id=1)

    theirs = other_customer.get(f"/api/orders/{order.id}/")
    missing = other_customer.get(f"/api/orders/{uuid.uuid4()}/")

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert other_customer.post(f"/api/orders/{order.id}/cancel/").status_code == 404
    assert Order.objects.get().status == Status.PENDING_PAYMENT


def test_anonymous_is_401(client):
    response = client.get("/api/orders/")

    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"


def test_customer_cancels_a_paid_order_and_the_event_says_it_was_paid(customer, catalog):
    add_to_cart(customer, 1, 2)
    order_id = checkout(customer).json()["id"]

    response = customer.post(f"/api/orders/{order_id}/cancel/", {"reason": "changed my mind"})

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["can_cancel"] is False
    assert [entry["status"] for entry in body["history"]] == [
        "pending_payment",
        "paid",
        "cancelled",
    ]
    assert body["history"][-1]["actor"] == "customer"
    event = OutboxEvent.objects.get(type="order.cancelled").payload
    assert event["data"]["was_paid"] is True
    assert event["data"]["cancelled_by"] == "customer"
    assert event["data"]["reason"] == "changed my mind"
    assert_valid_event(event)
    assert Order.objects.get(pk=order_id).refund_id.startswith("re_")


def test_cancelling_a_pending_order_releases_its_reservation_at_once(customer, catalog):
    from orders import services

    catalog.add_product(3, on_hand=4)
    add_to_cart(customer, 3, 4)
    order, _ = services._order_create(
        order_id=uuid.uuid4(),
        user_id=1,
        shipping_address={
            "name": "A",
            "line1": "B",
            "line2": "",
            "city": "C",
            "postal_code": "12345",
            "country": "DE",
        },
    )
    assert catalog.products[3].on_hand == 0

    response = customer.post(f"/api/orders/{order.id}/cancel/")

    assert response.status_code == 200
    assert catalog.reservation_status(order.id) == "released"
    assert catalog.products[3].on_hand == 4
    assert OutboxEvent.objects.get(type="order.cancelled").payload["data"]["was_paid"] is False


def test_a_shipped_order_cannot_be_cancelled(customer):
    order = OrderFactory(user_id=1, status=Status.SHIPPED)

    response = customer.post(f"/api/orders/{order.id}/cancel/")

    assert response.status_code == 409
    assert error_code(response) == "conflict"
    assert response.json()["error"]["details"] == {"status": "shipped", "requested": "cancelled"}
    assert not OutboxEvent.objects.exists()


def test_customer_cannot_ship_or_deliver(customer):
    order = OrderFactory(user_id=1, status=Status.PAID)

    for action in ("ship", "deliver"):
        response = customer.post(f"/api/orders/{order.id}/{action}/")
        assert response.status_code == 403
        assert error_code(response) == "permission_denied"
    assert Order.objects.get().status == Status.PAID


def test_customer_cannot_list_all_orders(customer):
    assert customer.get("/api/orders/admin/orders/").status_code == 403


def test_admin_ships_then_delivers(admin):
    order = OrderFactory(user_id=1, status=Status.PAID)

    shipped = admin.post(f"/api/orders/{order.id}/ship/")
    delivered = admin.post(f"/api/orders/{order.id}/deliver/")

    assert shipped.status_code == delivered.status_code == 200
    assert shipped.json()["status"] == "shipped"
    assert delivered.json()["status"] == "delivered"
    history = OrderStatusChange.objects.filter(order=order).order_by("at", "id")
    assert [(change.to_status, change.actor, change.actor_id) for change in history][1:] == [
        ("shipped", "admin", "99"),
        ("delivered", "admin", "99"),
    ]
    types = list(OutboxEvent.objects.order_by("created_at").values_list("type", flat=True))
    assert types == ["order.shipped", "order.delivered"]
    for event in OutboxEvent.objects.all():
        assert_valid_event(event.payload)


def test_admin_cannot_ship_an_unpaid_order(admin):
    order = OrderFactory(user_id=1, status=Status.PENDING_PAYMENT)

    response = admin.post(f"/api/orders/{order.id}/ship/")

    assert response.status_code == 409
    assert Order.objects.get().status == Status.PENDING_PAYMENT


def test_admin_sees_and_cancels_any_order(admin):
    order = OrderFactory(user_id=1, status=Status.PAID)

    assert admin.get(f"/api/orders/{order.id}/").status_code == 200
    response = admin.post(f"/api/orders/{order.id}/cancel/")

    assert response.json()["history"][-1]["actor"] == "admin"
    assert OutboxEvent.objects.get().payload["data"]["cancelled_by"] == "admin"


def test_admin_lists_all_orders_filtered_by_status(admin):
    paid = OrderFactory(user_id=1, status=Status.PAID)
    OrderFactory(user_id=2, status=Status.SHIPPED)

    everything = admin.get("/api/orders/admin/orders/").json()
    only_paid = admin.get("/api/orders/admin/orders/?status=paid").json()

    assert everything["count"] == 2
    assert [order["id"] for order in only_paid["results"]] == [str(paid.id)]
    assert only_paid["results"][0]["user_id"] == 1
    bad = admin.get("/api/orders/admin/orders/?status=lost")
    assert bad.status_code == 400
    assert "status" in bad.json()["error"]["details"]


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("cancel", {"status": "delivered"}),
        ("cancel", {"total": "0.00"}),
        ("ship", {"user_id": 5}),
        ("deliver", {"status": "paid"}),
    ],
)
def test_actions_reject_fields_they_do_not_take(admin, action, body):
    order = OrderFactory(user_id=1, status=Status.PAID)

    response = admin.post(f"/api/orders/{order.id}/{action}/", body, format="json")

    assert response.status_code == 400
    assert set(body) <= set(response.json()["error"]["details"])
    assert Order.objects.get().status == Status.PAID
    assert not OutboxEvent.objects.exists()


def test_orders_cannot_be_edited_or_deleted(customer):
    order = OrderFactory(user_id=1)

    for method in ("put", "patch", "delete"):
        response = getattr(customer, method)(f"/api/orders/{order.id}/", {"status": "paid"})
        assert response.status_code == 405
        assert error_code(response) == "method_not_allowed"
    assert Order.objects.get().status == Status.PENDING_PAYMENT
