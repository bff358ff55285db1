"""Buying through the gateway: orders, their e-mails and notifications, stock, idempotent
checkout, no overselling, and what one customer cannot do to another's data.

Events travel asynchronously (outbox, relay, Redis, a worker), so what they cause is awaited
with bounded polls; what the checkout itself decides is asserted at once.
"""

import os
import signal
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import requests
from conftest import Stack
from support import (
    CARD_DECLINED,
    CARD_PROVIDER_DOWN,
    Admin,
    Client,
    Customer,
    Mailbox,
    assert_json_error,
    checkout_body,
    wait_for,
)

Register = Callable[[], Customer]
FreshProduct = Callable[[int], int]


def test_register_buy_ship_and_cancel(
    register: Register, admin: Admin, mailbox: Mailbox, fresh_product: FreshProduct
) -> None:
    customer = register()

    # Registration: a welcome e-mail through the SMTP sink, and the first notification.
    welcome = mailbox.wait_for(customer.email, "Welcome to Reference Shop")
    assert welcome["To"][0]["Address"] == customer.email
    assert welcome["Text"]
    assert welcome["HTML"]
    wait_for(
        lambda: customer.notifications_of("user.registered"),
        timeout=30,
        what="the welcome notification",
    )

    # Checkout: paid at the catalog's price, the stock reserved, then sold once order.paid
    # reached the catalog.
    product_id = fresh_product(10)
    price = Decimal(admin.product(product_id)["price"])
    customer.add_to_cart(product_id, 2)
    response = customer.checkout()
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "paid"
    assert [(line["product_id"], line["quantity"]) for line in order["lines"]] == [(product_id, 2)]
    assert Decimal(order["lines"][0]["unit_price"]) == price
    assert Decimal(order["subtotal"]) == price * 2
    assert Decimal(order["total"]) == (
        Decimal(order["subtotal"]) + Decimal(order["shipping"]) + Decimal(order["tax"])
    )
    right_after = admin.stock(product_id)
    assert right_after["on_hand"] == 8
    assert right_after["reserved"] + right_after["sold"] == 2
    admin.wait_for_stock(product_id, on_hand=8, reserved=0, sold=2)
    assert customer.get("/api/cart/").json()["item_count"] == 0

    # The confirmation: an e-mail naming the order and its total, and a notification linking it.
    number = order["number"]
    mailbox.wait_for(customer.email, f"We received your order {number}")
    confirmation = mailbox.wait_for(customer.email, f"Order {number} is confirmed")
    assert order["total"] in confirmation["Text"]
    assert order["id"] in confirmation["Text"]  # the link to the order page
    link = f"/orders/{order['id']}"
    paid = wait_for(
        lambda: customer.notifications_of("order.paid", link),
        timeout=30,
        what="the order.paid notification",
    )
    assert len(paid) == 1
    assert number in paid[0]["title"]
    assert customer.get("/api/notifications/unread-count/").json()["unread"] >= 3

    # The admin ships it: a shipping e-mail; once shipped, the customer cannot cancel.
    shipped = admin.post(f"/api/orders/{order['id']}/ship/")
    assert shipped.status_code == 200, shipped.text
    assert shipped.json()["status"] == "shipped"
    mailbox.wait_for(customer.email, f"Order {number} is on its way")
    assert_json_error(customer.post(f"/api/orders/{order['id']}/cancel/", json={}), 409, "conflict")

    # A second order, cancelled by the customer before it ships: its stock comes back.
    customer.add_to_cart(product_id, 1)
    second = customer.checkout().json()
    assert second["status"] == "paid"
    assert second["can_cancel"] is True
    admin.wait_for_stock(product_id, on_hand=7, reserved=0, sold=3)
    cancelled = customer.post(f"/api/orders/{second['id']}/cancel/", json={})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["history"][-1]["status"] == "cancelled"
    admin.wait_for_stock(product_id, on_hand=8, reserved=0, sold=2)
    mailbox.wait_for(customer.email, f"Order {second['number']} is cancelled")
    assert customer.order(order["id"])["status"] == "shipped"


def test_a_declined_card_releases_the_reservation(
    register: Register, admin: Admin, mailbox: Mailbox, fresh_product: FreshProduct
) -> None:
    customer = register()
    product_id = fresh_product(3)
    customer.add_to_cart(product_id, 2)

    response = customer.checkout(card=CARD_DECLINED)

    error = assert_json_error(response, 402, "payment_declined")
    order = customer.order(error["details"]["order_id"])
    assert order["status"] == "payment_failed"
    assert order["can_cancel"] is False
    admin.wait_for_stock(product_id, on_hand=3, reserved=0, sold=0)
    mailbox.wait_for(customer.email, f"Payment for order {order['number']} did not go through")
    assert customer.get("/api/cart/").json()["item_count"] == 2  # the customer may try again


def test_an_unpaid_order_is_cancelled_and_its_reservation_released(
    stack: Stack,
    register: Register,
    admin: Admin,
    mailbox: Mailbox,
    fresh_product: FreshProduct,
) -> None:
    """The process running a checkout dies after the order was written and before the payment
    ended: the order stays pending_payment with its stock reserved, until the periodic job
    finds it older than ORDERS_PENDING_TTL_SECONDS, cancels it and releases the stock."""
    customer = register()
    product_id = fresh_product(3)
    customer.add_to_cart(product_id, 1)

    # The provider-unavailable card keeps the checkout waiting between retries, long enough to
    # kill every orders-django worker while the order is pending (gunicorn starts new ones).
    with ThreadPoolExecutor(max_workers=1) as pool:
        attempt = pool.submit(customer.checkout, card=CARD_PROVIDER_DOWN)
        pending = wait_for(
            lambda: [
                o for o in admin.orders("pending_payment") if o["user_id"] == customer.user_id
            ],
            timeout=20,
            interval=0.05,
            what="the order in pending_payment",
        )
        workers = stack.gunicorn_workers("orders")
        assert workers, "found no gunicorn worker of orders-django"
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        answer = attempt.result(timeout=60)
    assert_json_error(answer, 502, "bad_gateway")  # the gateway lost the upstream mid-request

    order_id = pending[0]["id"]
    assert admin.stock(product_id) == {"on_hand": 2, "reserved": 1, "sold": 0}

    def cancelled() -> dict | None:
        response = customer.get(f"/api/orders/{order_id}/")
        return response.json() if response.ok and response.json()["status"] == "cancelled" else None

    order = wait_for(cancelled, timeout=40, what="the stale order to be cancelled")
    assert order["history"][-1]["actor"] == "system"
    admin.wait_for_stock(product_id, on_hand=3, reserved=0, sold=0)
    mailbox.wait_for(customer.email, f"Order {order['number']} is cancelled")


# --- idempotent checkout ------------------------------------------------------------------------


def test_a_retried_checkout_gives_one_order_and_the_same_answer(
    register: Register, admin: Admin, fresh_product: FreshProduct
) -> None:
    customer = register()
    product_id = fresh_product(5)
    customer.add_to_cart(product_id, 1)
    key = str(uuid.uuid4())

    first = customer.checkout(key=key)
    again = customer.checkout(key=key)

    assert first.status_code == again.status_code == 201, first.text
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert [order["id"] for order in customer.orders()] == [first.json()["id"]]
    admin.wait_for_stock(product_id, on_hand=4, reserved=0, sold=1)


def test_parallel_retries_with_one_key_place_one_order(
    register: Register,
    new_client: Callable[[], Client],
    admin: Admin,
    fresh_product: FreshProduct,
) -> None:
    customer = register()
    product_id = fresh_product(5)
    customer.add_to_cart(product_id, 1)
    key = str(uuid.uuid4())
    clients = [new_client() for _ in range(8)]  # as from a browser that retries in new tabs
    start = threading.Barrier(len(clients))

    def attempt(client: Client) -> requests.Response:
        start.wait()
        return client.post(
            "/api/orders/",
            json=checkout_body(),
            headers={**customer.auth, "Idempotency-Key": key},
        )

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        responses = list(pool.map(attempt, clients))

    created = [response for response in responses if response.status_code == 201]
    busy = [response for response in responses if response.status_code != 201]
    assert created, [response.text for response in responses]
    assert all(response.json() == created[0].json() for response in created)
    for response in busy:
        assert_json_error(response, 409, "idempotency_in_progress")
    settled = customer.checkout(key=key)
    assert settled.status_code == 201
    assert settled.json() == created[0].json()
    assert [order["id"] for order in customer.orders()] == [created[0].json()["id"]]
    admin.wait_for_stock(product_id, on_hand=4, reserved=0, sold=1)


def test_the_same_key_while_the_first_checkout_runs_is_409_then_the_first_answer(
    register: Register, admin: Admin, fresh_product: FreshProduct
) -> None:
    customer = register()
    product_id = fresh_product(2)
    customer.add_to_cart(product_id, 1)
    key = str(uuid.uuid4())

    # The provider-unavailable card keeps the first attempt busy for seconds (retries).
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(customer.checkout, card=CARD_PROVIDER_DOWN, key=key)
        wait_for(
            lambda: [
                o for o in admin.orders("pending_payment") if o["user_id"] == customer.user_id
            ],
            timeout=20,
            interval=0.05,
            what="the first attempt's order in pending_payment",
        )
        meanwhile = customer.checkout(card=CARD_PROVIDER_DOWN, key=key)
        answer = first.result(timeout=60)

    assert_json_error(meanwhile, 409, "idempotency_in_progress")
    error = assert_json_error(answer, 503, "payment_unavailable")
    again = customer.checkout(card=CARD_PROVIDER_DOWN, key=key)
    assert (again.status_code, again.json()) == (503, answer.json())
    assert [order["id"] for order in customer.orders()] == [error["details"]["order_id"]]
    assert customer.order(error["details"]["order_id"])["status"] == "payment_failed"
    admin.wait_for_stock(product_id, on_hand=2, reserved=0, sold=0)


def test_checkout_errors_change_nothing(
    register: Register, admin: Admin, fresh_product: FreshProduct
) -> None:
    customer = register()
    product_id = fresh_product(1)
    customer.add_to_cart(product_id, 2)

    missing_key = customer.post("/api/orders/", json=checkout_body())
    assert_json_error(missing_key, 400, "idempotency_key_required")

    key = str(uuid.uuid4())
    short = customer.checkout(key=key)
    error = assert_json_error(short, 409, "out_of_stock")
    assert error["details"]["lines"] == [{"product_id": product_id, "requested": 2, "available": 1}]
    replayed = customer.checkout(key=key)
    assert (replayed.status_code, replayed.json()) == (409, short.json())

    reused = customer.post(
        "/api/orders/",
        json=checkout_body(
            shipping_address={**checkout_body()["shipping_address"], "city": "Bath"}
        ),
        headers={"Idempotency-Key": key},
    )
    assert_json_error(reused, 422, "idempotency_key_reused")

    invalid = customer.post(
        "/api/orders/",
        json={"shipping_address": {"name": "Ada"}, "payment": {"card_number": "1234"}},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    error = assert_json_error(invalid, 400, "validation_error")
    assert error["details"]

    assert customer.orders() == []
    assert admin.stock(product_id) == {"on_hand": 1, "reserved": 0, "sold": 0}
    assert customer.get("/api/cart/").json()["item_count"] == 2


# --- no overselling -----------------------------------------------------------------------------


def test_thirty_buyers_for_five_units(
    register: Register, admin: Admin, fresh_product: FreshProduct
) -> None:
    product_id = fresh_product(5)
    initial = sum(admin.stock(product_id).values())
    with ThreadPoolExecutor(max_workers=6) as pool:
        buyers = list(pool.map(lambda _: register(), range(30)))
        list(pool.map(lambda buyer: buyer.add_to_cart(product_id, 1), buyers))

    # Every reading of the counters while the checkouts run: never negative, never more or less
    # stock than there was.
    readings: list[dict[str, int]] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            readings.append(admin.stock(product_id))
            time.sleep(0.05)

    start = threading.Barrier(len(buyers))

    def buy(buyer: Customer) -> requests.Response:
        start.wait()
        return buyer.checkout()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=len(buyers)) as pool:
            responses = list(pool.map(buy, buyers))
    finally:
        done.set()
        watcher.join()

    assert Counter(response.status_code for response in responses) == {201: 5, 409: 25}
    for buyer, response in zip(buyers, responses, strict=True):
        if response.status_code == 201:
            assert response.json()["status"] == "paid"
            assert len(buyer.orders()) == 1
        else:
            error = assert_json_error(response, 409, "out_of_stock")
            assert error["details"]["lines"] == [
                {"product_id": product_id, "requested": 1, "available": 0}
            ]
            assert buyer.orders() == []
    assert readings
    for reading in readings:
        assert min(reading.values()) >= 0, reading
        assert sum(reading.values()) == initial, reading

    final = admin.wait_for_stock(product_id, on_hand=0, reserved=0, sold=5)
    assert final["on_hand"] + final["reserved"] + final["sold"] == initial


# --- one customer, another's data ---------------------------------------------------------------


def test_another_customers_order_and_notifications_are_not_found(
    register: Register, fresh_product: FreshProduct
) -> None:
    alice, bob = register(), register()
    product_id = fresh_product(5)
    alice.add_to_cart(product_id, 1)
    order = alice.checkout().json()
    note = wait_for(
        lambda: alice.notifications_of("order.paid", f"/orders/{order['id']}"),
        timeout=30,
        what="Alice's order.paid notification",
    )[0]

    unknown = bob.get(f"/api/orders/{uuid.uuid4()}/")
    assert_json_error(unknown, 404, "not_found")
    for response in (
        bob.get(f"/api/orders/{order['id']}/"),
        bob.post(f"/api/orders/{order['id']}/cancel/", json={}),
        bob.post(f"/api/notifications/{note['id']}/read/"),
    ):
        # Exactly what an id that does not exist gets: nothing to learn by probing.
        assert_json_error(response, 404, "not_found")
    assert order["id"] not in {o["id"] for o in bob.orders()}
    assert note["id"] not in {n["id"] for n in bob.notifications()}

    assert alice.order(order["id"])["status"] == "paid"
    mine = next(n for n in alice.notifications() if n["id"] == note["id"])
    assert mine["read_at"] is None


def test_customers_cannot_set_prices_statuses_or_owners(
    register: Register, admin: Admin, fresh_product: FreshProduct
) -> None:
    customer, other = register(), register()
    product_id = fresh_product(5)
    price = admin.product(product_id)["price"]

    cheap = customer.post(
        "/api/cart/items/", json={"product_id": product_id, "quantity": 1, "unit_price": "0.01"}
    )
    assert "unit_price" in assert_json_error(cheap, 400, "validation_error")["details"]
    assert customer.get("/api/cart/").json()["item_count"] == 0

    customer.add_to_cart(product_id, 1)
    for field, value in (
        ("total", "0.01"),
        ("status", "shipped"),
        ("user_id", other.user_id),
        ("lines", [{"product_id": product_id, "quantity": 1, "unit_price": "0.01"}]),
    ):
        response = customer.checkout(**{field: value})
        assert field in assert_json_error(response, 400, "validation_error")["details"]
    assert customer.orders() == other.orders() == []

    order = customer.checkout().json()
    assert order["lines"][0]["unit_price"] == price
    assert_json_error(customer.post(f"/api/orders/{order['id']}/ship/"), 403, "permission_denied")
    assert customer.order(order["id"])["status"] == "paid"

    repriced = customer.client.patch(
        f"/api/catalog/admin/products/{product_id}/", json={"price": "0.01"}, headers=customer.auth
    )
    assert_json_error(repriced, 403, "permission_denied")
    assert admin.product(product_id)["price"] == price

    promoted = customer.client.patch(
        "/api/auth/me", json={"name": "Ada", "roles": ["admin"]}, headers=customer.auth
    )
    assert "roles" in assert_json_error(promoted, 400, "validation_error")["details"]
    assert customer.get("/api/auth/me").json()["roles"] == ["customer"]
