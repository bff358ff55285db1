"""Faults injected into the running shop: no event is lost, none has its effect twice.

How the faults are made, and why this way:

- A process that dies under honcho makes honcho stop the whole stack (that is what a developer
  wants from `make dev`). The processes these tests kill, stop or pause (both event consumers,
  the orders relay, the catalog API and the mail sink) therefore run outside honcho, started
  by conftest.py with their own Procfile lines (`ManagedProcess`); the rest of the stack runs
  as `make dev` runs it. Redis is the stack's own testenv server, restarted with its data as a
  real restart would be. A consumer that exits because Redis went away is started again, as a
  deployment's supervisor would, with a warning in the report (see restart_exited_consumers).
- "In the middle of handling an event" is made deterministic by pausing the mail sink
  (SIGSTOP): the kernel still accepts the SMTP connection, so the worker sits inside its send,
  waiting for a greeting. Its e-mail delivery row, committed just before the send and still
  without `sent_at`, tells the test the moment has come; then the worker gets SIGKILL.
- Every test starts from a quiet system (no event in an outbox, a queue or a worker), so what
  it counts afterwards is its own doing, and it waits for quiet again before counting "exactly
  one": a late duplicate would have had its chance to show up.
- The timings that make this fast (visibility timeout 8 s, 4 tries within about 2 s, relays
  backing off at most 1 s) are the services' own settings, set in conftest.E2E_SETTINGS.
"""

import threading
import uuid
import warnings
from collections.abc import Callable

import pytest
from celery import Celery
from conftest import Stack
from support import Admin, Customer, Mailbox, assert_json_error, wait_for

Register = Callable[[], Customer]
FreshProduct = Callable[[int], int]

WELCOME = "Welcome to Reference Shop"


@pytest.fixture(autouse=True)
def quiet(stack: Stack) -> None:
    stack.wait_until_quiet()


def registered_event_id(stack: Stack, email: str) -> str:
    """The id of the user.registered event auth-flask wrote for this address."""
    rows = wait_for(
        lambda: stack.query(
            "auth",
            "SELECT id::text FROM outbox_events "
            "WHERE type = 'user.registered' AND payload->'data'->>'email' = %s",
            email,
        ),
        timeout=10,
        what=f"the user.registered event of {email}",
    )
    return rows[0][0]


def order_events(stack: Stack, order_id: str, *, unpublished: bool = False) -> dict[str, dict]:
    """The outbox rows of an order (all, or only those not published yet): {type: envelope}."""
    rows = stack.query(
        "orders",
        "SELECT type, payload FROM orders_outboxevent "
        "WHERE payload->'data'->>'order_id' = %s AND (published_at IS NULL OR NOT %s)",
        order_id,
        unpublished,
    )
    return dict(rows)


def assert_order_mail_once(mailbox: Mailbox, customer: Customer, number: str) -> None:
    subjects = mailbox.subjects_to(customer.email)
    assert subjects.count(f"We received your order {number}") == 1, subjects
    assert subjects.count(f"Order {number} is confirmed") == 1, subjects


def test_a_worker_killed_in_the_middle_of_an_event_handles_it_once_after_restart(
    stack: Stack, register: Register, mailbox: Mailbox
) -> None:
    worker, mail = stack.managed["notify-worker"], stack.managed["mail"]

    mail.pause()
    try:
        customer = register()
        event_id = registered_event_id(stack, customer.email)
        wait_for(
            lambda: (
                stack.query(
                    "notify", "SELECT sent_at FROM email_deliveries WHERE event_id = %s", event_id
                )
                == [(None,)]
            ),
            timeout=20,
            interval=0.05,
            what="the worker to be sending the welcome e-mail",
        )
        worker.kill()
    finally:
        mail.resume()

    # Killed before it acknowledged: the message is still Redis's, and nothing happened yet.
    assert event_id in stack.broker_event_ids("notify")
    assert (
        stack.query("notify", "SELECT 1 FROM processed_events WHERE event_id = %s", event_id) == []
    )
    assert customer.notifications_of("user.registered") == []
    assert mailbox.messages_to(customer.email) == []

    # A new worker gets it back once the visibility timeout is over, and handles it once.
    worker.start()
    mailbox.wait_for(customer.email, WELCOME, timeout=40)
    stack.wait_until_quiet()
    assert mailbox.subjects_to(customer.email) == [WELCOME]
    assert len(customer.notifications_of("user.registered")) == 1


def test_the_relay_killed_after_commit_still_delivers_the_events(
    stack: Stack,
    register: Register,
    admin: Admin,
    mailbox: Mailbox,
    fresh_product: FreshProduct,
) -> None:
    relay = stack.managed["orders-relay"]
    customer = register()
    product_id = fresh_product(4)
    customer.add_to_cart(product_id, 2)

    relay.kill()
    try:
        response = customer.checkout()
        assert response.status_code == 201, response.text
        order = response.json()
        # Committed with the order, not published: the events wait in the outbox, so the
        # catalog has not heard of the payment and holds the stock as reserved.
        assert set(order_events(stack, order["id"], unpublished=True)) == {
            "order.placed",
            "order.paid",
        }
        assert admin.stock(product_id) == {"on_hand": 2, "reserved": 2, "sold": 0}
    finally:
        relay.start()

    admin.wait_for_stock(product_id, on_hand=2, reserved=0, sold=2)
    mailbox.wait_for(customer.email, f"Order {order['number']} is confirmed")
    stack.wait_until_quiet()
    assert order_events(stack, order["id"], unpublished=True) == {}
    assert_order_mail_once(mailbox, customer, order["number"])
    assert {n["type"] for n in customer.notifications_of("order.paid")} == {"order.paid"}


class ConsumerExited(UserWarning):
    """A consumer process ended on its own; the report should show it, the test goes on."""


def restart_exited_consumers(stack: Stack) -> None:
    """Start again a consumer that exited, as compose's `restart:` or Kubernetes would.

    Celery 5.7 with kombu 5.7 can end a worker that holds an unacknowledged message when Redis
    goes away (`Unrecoverable error: AttributeError ... 'hostname'` while it restores the
    message). Its messages are still Redis's, so nothing is lost once a worker runs again;
    that is what this test checks, and the warning keeps the crash visible in the report.
    """
    for name in ("notify-worker", "catalog-worker"):
        consumer = stack.managed[name]
        if not consumer.running:
            warnings.warn(
                f"{name} exited when Redis went away (its log is in {consumer.log_path}); "
                "started again, as its supervisor in a deployment would",
                ConsumerExited,
                stacklevel=2,
            )
            consumer.start()


def test_a_redis_restart_while_orders_are_placed_loses_no_event(
    stack: Stack,
    register: Register,
    admin: Admin,
    mailbox: Mailbox,
    fresh_product: FreshProduct,
) -> None:
    product_id = fresh_product(20)
    buyers = [register() for _ in range(6)]
    for buyer in buyers:
        buyer.add_to_cart(product_id, 1)
    stack.wait_until_quiet()  # the welcome e-mails are out; what follows is the orders' doing

    placed: list[dict] = []
    failures: list[str] = []

    def place_orders() -> None:
        for buyer in buyers:
            response = buyer.checkout()
            if response.status_code == 201:
                placed.append(response.json())
            else:
                failures.append(response.text)

    placing = threading.Thread(target=place_orders)
    placing.start()
    try:
        # Two orders before Redis goes away, two while it is down, two after it is back.
        wait_for(lambda: len(placed) + len(failures) >= 2, timeout=30, what="two orders")
        stack.redis_server.stop()
        wait_for(lambda: len(placed) + len(failures) >= 4, timeout=30, what="two more orders")
        stack.redis_server.start()
        restart_exited_consumers(stack)
    finally:
        placing.join(timeout=60)
    assert not failures, failures
    assert len(placed) == len(buyers)

    # Every order gets both its e-mails and its notifications, and the catalog sells each unit.
    admin.wait_for_stock(product_id, timeout=60, on_hand=14, reserved=0, sold=6)
    for buyer, order in zip(buyers, placed, strict=True):
        mailbox.wait_for(buyer.email, f"Order {order['number']} is confirmed", timeout=60)
        mailbox.wait_for(buyer.email, f"We received your order {order['number']}", timeout=60)
    stack.wait_until_quiet(timeout=60)
    for buyer, order in zip(buyers, placed, strict=True):
        assert_order_mail_once(mailbox, buyer, order["number"])
        types = sorted(n["type"] for n in buyer.notifications() if n["type"].startswith("order."))
        assert types == ["order.paid", "order.placed"]
    assert admin.stock(product_id) == {"on_hand": 14, "reserved": 0, "sold": 6}


def test_the_same_event_delivered_twice_has_one_effect(
    stack: Stack,
    register: Register,
    admin: Admin,
    mailbox: Mailbox,
    fresh_product: FreshProduct,
) -> None:
    customer = register()
    product_id = fresh_product(3)
    customer.add_to_cart(product_id, 1)
    order = customer.checkout().json()
    mailbox.wait_for(customer.email, f"Order {order['number']} is confirmed")
    admin.wait_for_stock(product_id, on_hand=2, reserved=0, sold=1)
    stack.wait_until_quiet()
    envelope = order_events(stack, order["id"])["order.paid"]

    ignored = f"event {envelope['id']} (order.paid) was handled before; ignoring it"
    seen_before = stack.output().count(ignored)

    # Delivered again to both of its consumers, as a relay that crashed before marking the row
    # published would do.
    broker = Celery(broker=stack.redis_server.url)
    try:
        for consumer in ("notify", "catalog"):
            broker.send_task(f"{consumer}.handle_event", args=[envelope], queue=consumer)
    finally:
        broker.close()

    wait_for(
        lambda: stack.output().count(ignored) == seen_before + 2,
        timeout=30,
        what="both consumers to see the duplicate",
    )
    stack.wait_until_quiet()
    assert_order_mail_once(mailbox, customer, order["number"])
    assert len(customer.notifications_of("order.paid")) == 1
    assert admin.stock(product_id) == {"on_hand": 2, "reserved": 0, "sold": 1}


def dead_letters(stack: Stack) -> str:
    listed = stack.run("notify", "flask", "--app", "notify", "dead-letters", "list")
    assert listed.returncode == 0, listed.stderr
    return listed.stdout


def test_an_event_that_keeps_failing_is_dead_lettered_and_replayed_once_fixed(
    stack: Stack, register: Register, mailbox: Mailbox
) -> None:
    with stack.stopped("mail"):
        customer = register()
        event_id = registered_event_id(stack, customer.email)
        wait_for(
            lambda: stack.query(
                "notify", "SELECT 1 FROM dead_letters WHERE event_id = %s", event_id
            ),
            timeout=40,
            what="the welcome event in the dead-letter store",
        )
        stack.wait_until_quiet()  # acknowledged: nothing comes back by itself
        assert customer.notifications_of("user.registered") == []

    # What the operator sees, and the replay once the sink is back: one e-mail.
    entry = next(line for line in dead_letters(stack).splitlines() if event_id in line)
    assert "user.registered" in entry
    assert "attempts=4" in entry  # the first try and NOTIFY_MAX_RETRIES=3 retries
    replayed = stack.run(
        "notify", "flask", "--app", "notify", "dead-letters", "replay", entry.split()[0]
    )
    assert replayed.returncode == 0, replayed.stderr
    assert event_id in replayed.stdout
    mailbox.wait_for(customer.email, WELCOME, timeout=30)
    stack.wait_until_quiet()
    assert mailbox.subjects_to(customer.email) == [WELCOME]
    assert len(customer.notifications_of("user.registered")) == 1
    assert event_id not in dead_letters(stack)  # replayed letters leave the default list


def test_the_catalog_down_during_checkout_is_a_503_and_nothing_half_done(
    stack: Stack,
    register: Register,
    admin: Admin,
    mailbox: Mailbox,
    fresh_product: FreshProduct,
) -> None:
    customer = register()
    product_id = fresh_product(4)
    customer.add_to_cart(product_id, 2)
    stock = admin.stock(product_id)
    reservations = stack.query("catalog", "SELECT count(*) FROM catalog_reservation")
    key = str(uuid.uuid4())

    with stack.stopped("catalog"):
        response = customer.checkout(key=key)
        assert_json_error(response, 503, "service_unavailable")
        assert customer.orders() == []
        assert_json_error(customer.get("/api/cart/"), 503, "service_unavailable")

    # Nothing was reserved or ordered, and the cart is as it was.
    assert admin.stock(product_id) == stock
    assert stack.query("catalog", "SELECT count(*) FROM catalog_reservation") == reservations
    assert customer.orders() == []
    assert customer.get("/api/cart/").json()["item_count"] == 2

    # The same attempt, once the catalog is back, goes through.
    retried = customer.checkout(key=key)
    assert retried.status_code == 201, retried.text
    assert retried.json()["status"] == "paid"
    admin.wait_for_stock(product_id, on_hand=2, reserved=0, sold=2)
    mailbox.wait_for(customer.email, f"Order {retried.json()['number']} is confirmed")
