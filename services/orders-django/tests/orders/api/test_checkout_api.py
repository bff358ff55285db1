"""POST /api/orders/: checkout of the cart, end to end against the fake catalog."""

from decimal import Decimal

import pytest

from orders.models import CartItem, IdempotencyKey, Order, OutboxEvent
from orders.state import Status
from tests.contracts import assert_valid_event
from tests.helpers import (
    CARD_DECLINED,
    CARD_UNAVAILABLE,
    add_to_cart,
    checkout,
    checkout_body,
    error_code,
)

pytestmark = pytest.mark.django_db


def _event_types() -> list[str]:
    return list(OutboxEvent.objects.order_by("created_at", "id").values_list("type", flat=True))


def test_paid_checkout_snapshots_catalog_prices_and_empties_the_cart(customer, catalog):
    add_to_cart(customer, 1, 2)
    add_to_cart(customer, 2, 1)

    response = checkout(customer)

    assert response.status_code == 201, response.content
    order = response.json()
    assert order["status"] == "paid"
    assert order["subtotal"] == "45.50"
    assert order["shipping"] == "4.90"
    assert order["tax"] == "0.00"
    assert order["total"] == "50.40"
    assert order["currency"] == "EUR"
    assert [
        (line["product_id"], line["unit_price"], line["line_total"]) for line in order["lines"]
    ] == [
        (1, "10.00", "20.00"),
        (2, "25.50", "25.50"),
    ]
    assert [entry["status"] for entry in order["history"]] == ["pending_payment", "paid"]
    assert order["can_cancel"] is True
    assert order["shipping_address"]["country"] == "DE"
    assert catalog.reservation_status(order["id"]) == "active"  # committed by order.paid
    assert catalog.products[1].reserved == 2
    assert not CartItem.objects.filter(user_id=1).exists()
    assert _event_types() == ["order.placed", "order.paid"]
    for event in OutboxEvent.objects.all():
        assert_valid_event(event.payload)


def test_shipping_is_free_from_fifty_euros(customer, catalog):
    add_to_cart(customer, 2, 2)  # 51.00

    order = checkout(customer).json()

    assert (order["subtotal"], order["shipping"], order["total"]) == ("51.00", "0.00", "51.00")


def test_the_price_is_the_catalogs_at_checkout_not_the_one_seen_in_the_cart(customer, catalog):
    add_to_cart(customer, 1, 1)
    catalog.products[1].price = Decimal("12.34")

    order = checkout(customer).json()

    assert order["lines"][0]["unit_price"] == "12.34"
    assert Order.objects.get().lines.get().unit_price == Decimal("12.34")


def test_declined_card_fails_the_order_and_releases_the_reservation(customer, catalog):
    add_to_cart(customer, 1, 3)

    response = checkout(customer, card=CARD_DECLINED)

    assert response.status_code == 402
    assert error_code(response) == "payment_declined"
    order = Order.objects.get(pk=response.json()["error"]["details"]["order_id"])
    assert order.status == Status.PAYMENT_FAILED
    assert order.failure_reason == "declined"
    assert catalog.reservation_status(order.id) == "released"
    assert (catalog.products[1].on_hand, catalog.products[1].reserved) == (100, 0)
    assert _event_types() == ["order.placed", "order.payment_failed"]
    failed = OutboxEvent.objects.get(type="order.payment_failed").payload
    assert failed["data"]["reason"] == "declined"
    assert_valid_event(failed)
    # The cart is kept so the customer can pay with another card.
    assert CartItem.objects.filter(user_id=1).count() == 1


def test_provider_unavailable_retries_a_bounded_number_of_times_then_fails(
    customer, catalog, settings, monkeypatch
):
    settings.PAYMENT_MAX_ATTEMPTS = 3
    from orders import payments

    attempts = []
    original = payments.provider.charge

    def counting_charge(**kwargs):
        attempts.append(kwargs["reference"])
        return original(**kwargs)

    monkeypatch.setattr(payments.provider, "charge", counting_charge)
    add_to_cart(customer, 1, 1)

    response = checkout(customer, card=CARD_UNAVAILABLE)

    assert response.status_code == 503
    assert error_code(response) == "payment_unavailable"
    order_id = response.json()["error"]["details"]["order_id"]
    assert attempts == [order_id] * 3
    order = Order.objects.get(pk=order_id)
    assert (order.status, order.failure_reason) == (Status.PAYMENT_FAILED, "provider_unavailable")
    assert catalog.reservation_status(order_id) == "released"
    event = OutboxEvent.objects.get(type="order.payment_failed").payload
    assert event["data"]["reason"] == "provider_unavailable"
    assert_valid_event(event)


def test_out_of_stock_answers_409_with_the_lines_and_leaves_no_order(customer, catalog):
    catalog.products[2].on_hand = 1
    add_to_cart(customer, 1, 1)
    add_to_cart(customer, 2, 3)

    response = checkout(customer)

    assert response.status_code == 409
    assert error_code(response) == "out_of_stock"
    assert response.json()["error"]["details"]["lines"] == [
        {"product_id": 2, "requested": 3, "available": 1}
    ]
    assert not Order.objects.exists()
    assert not OutboxEvent.objects.exists()
    assert catalog.products[1].on_hand == 100  # all or nothing
    assert CartItem.objects.filter(user_id=1).count() == 2


@pytest.mark.parametrize("change", ["deactivated", "deleted"])
def test_a_product_gone_from_the_catalog_is_out_of_stock_at_checkout(customer, catalog, change):
    add_to_cart(customer, 1, 1)
    add_to_cart(customer, 2, 2)
    if change == "deactivated":
        catalog.products[2].active = False
    else:
        del catalog.products[2]

    response = checkout(customer)

    assert response.status_code == 409
    assert error_code(response) == "out_of_stock"
    assert response.json()["error"]["details"]["lines"] == [
        {"product_id": 2, "requested": 2, "available": 0}
    ]
    assert not Order.objects.exists()
    assert catalog.products[1].on_hand == 100


def test_catalog_down_is_a_clear_503_and_nothing_is_half_done(customer, catalog):
    add_to_cart(customer, 1, 1)
    catalog.stop()

    response = checkout(customer, key="k-down")

    assert response.status_code == 503
    assert error_code(response) == "service_unavailable"
    assert not Order.objects.exists()
    assert not OutboxEvent.objects.exists()
    # Nothing was decided, so the key is free to be retried.
    assert not IdempotencyKey.objects.filter(key="k-down").exists()
    assert CartItem.objects.filter(user_id=1).count() == 1


def test_catalog_failing_with_5xx_is_a_503_and_reserves_nothing(customer, catalog):
    add_to_cart(customer, 1, 1)
    catalog.fail_with = 500

    response = checkout(customer)

    assert response.status_code == 503
    assert error_code(response) == "service_unavailable"
    assert not Order.objects.exists()


def test_catalog_timeout_releases_what_it_may_have_reserved(customer, catalog, settings):
    settings.UPSTREAM_TIMEOUT_SECONDS = 0.3
    add_to_cart(customer, 1, 1)
    catalog.delay_seconds = 0.6

    response = checkout(customer)

    assert response.status_code == 503
    assert not Order.objects.exists()
    catalog.delay_seconds = 0
    # The slow reservation did happen on the catalog side; the release call undid it.
    released = [path for method, path, _ in catalog.requests if path.endswith("/release/")]
    assert len(released) == 1


def test_an_exception_after_the_order_write_leaves_no_order_and_no_event(
    customer, catalog, monkeypatch
):
    from orders import services

    def broken_event_record(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "event_record", broken_event_record)
    add_to_cart(customer, 1, 2)

    with pytest.raises(RuntimeError):
        checkout(customer)

    assert not Order.objects.exists()
    assert not OutboxEvent.objects.exists()
    assert catalog.products[1].on_hand == 100  # the reservation was released


def test_empty_cart_cannot_be_checked_out(customer, catalog):
    response = checkout(customer)

    assert response.status_code == 400
    assert error_code(response) == "cart_empty"


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("payment", "card_number"), "4242424242424241", "card_number"),
        (("payment", "card_number"), "4242-4242", "card_number"),
        (("payment", "expiry"), "01/20", "expiry"),
        (("payment", "expiry"), "13/30", "expiry"),
        (("payment", "cvc"), "12", "cvc"),
        (("payment", "cvc"), "12345", "cvc"),
        (("shipping_address", "country"), "XX", "country"),
        (("shipping_address", "name"), "", "name"),
    ],
)
def test_invalid_payment_or_address_is_400_and_changes_nothing(
    customer, catalog, path, value, field
):
    add_to_cart(customer, 1, 1)
    body = checkout_body()
    body[path[0]][path[1]] = value

    response = checkout(customer, body=body)

    assert response.status_code == 400
    assert error_code(response) == "validation_error"
    assert field in response.json()["error"]["details"][path[0]]
    assert not Order.objects.exists()
    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [{"total": "0.01"}, {"status": "paid"}, {"user_id": 2}, {"lines": [{"unit_price": "0.01"}]}],
)
def test_client_cannot_set_prices_status_or_owner(customer, catalog, extra):
    add_to_cart(customer, 1, 1)

    response = checkout(customer, body={**checkout_body(), **extra})

    assert response.status_code == 400
    assert error_code(response) == "validation_error"
    assert set(extra) <= set(response.json()["error"]["details"])
    assert not Order.objects.exists()


def test_unknown_nested_fields_are_rejected_too(customer, catalog):
    add_to_cart(customer, 1, 1)
    body = checkout_body()
    body["payment"]["amount"] = "0.01"

    response = checkout(customer, body=body)

    assert response.status_code == 400
    assert "amount" in response.json()["error"]["details"]["payment"]


def test_checkout_requires_a_signed_in_user(client, catalog):
    response = client.post("/api/orders/", checkout_body(), format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"
