"""`catalog.handle_event` on a real broker: events travel through Redis to a real Celery worker.

The transient failure is a real one: the test holds the reservation's row lock from another
connection, and PostgreSQL cancels the worker's statement when it has waited longer than the
handler's statement timeout (40 % of CELERY_TASK_TIME_LIMIT, set to 1 s here so a wait costs
0.4 s). That is the database error a worker meets when another transaction holds on too long.
"""

import uuid
from collections.abc import Callable, Iterator

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from catalog.models import DeadLetter, ProcessedEvent, Reservation, Stock
from catalog.services import LineRequest, reservation_reserve
from config.celery import app as celery_app
from tests.factories import ProductFactory, envelope, order_event
from tests.waiting import queue_drained, wait_for

pytestmark = pytest.mark.usefixtures("worker")


def publish(event: object) -> None:
    """What an outbox relay of orders-django does."""
    celery_app.send_task("catalog.handle_event", args=[event], queue="catalog")


def stock_of(product) -> tuple[int, int, int]:
    stock = Stock.objects.get(product=product)
    return stock.on_hand, stock.reserved, stock.sold


def status_of(order_id: str) -> str:
    return Reservation.objects.get(order_id=order_id).status


def dead_letters() -> list[DeadLetter]:
    return list(DeadLetter.objects.order_by("id"))


@pytest.fixture
def reserved() -> tuple[object, str]:
    """A product with 10 units, 2 of them reserved for an order."""
    product = ProductFactory(stock__on_hand=10)
    order_id = str(uuid.uuid4())
    reservation_reserve(order_id=order_id, lines=[LineRequest(product.pk, 2)])
    return product, order_id


@pytest.fixture
def lock_reservation() -> Iterator[Callable[[str], Callable[[], None]]]:
    """Hold a reservation's row lock from another connection until the returned call."""
    held: list[psycopg2.extensions.connection] = []

    def lock(order_id: str) -> Callable[[], None]:
        other = psycopg2.connect(**connection.get_connection_params())
        held.append(other)
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM catalog_reservation WHERE order_id = %s FOR UPDATE", [order_id]
            )
        return other.rollback

    yield lock
    for other in held:
        other.close()


@pytest.fixture
def short_statement_timeout(settings) -> None:
    settings.CELERY_TASK_TIME_LIMIT = 1


def test_an_event_delivered_twice_takes_effect_once(reserved, broker):
    product, order_id = reserved
    paid = order_event("order.paid", order_id)

    publish(paid)
    publish(order_event("order.cancelled", order_id, was_paid=True))
    # A late copy of order.paid (say the relay died before marking it published): committing
    # the released reservation now would be a conflict, so only its event id can keep it quiet.
    publish(paid)

    wait_for(lambda: ProcessedEvent.objects.count() == 2, what="both events to be handled")
    wait_for(lambda: queue_drained(broker), what="every copy to be consumed")
    assert status_of(order_id) == "released"
    assert stock_of(product) == (10, 0, 0)
    assert dead_letters() == []


@pytest.mark.usefixtures("short_statement_timeout")
def test_a_transient_database_error_is_retried(reserved, lock_reservation, broker, json_logs):
    product, order_id = reserved
    release_lock = lock_reservation(order_id)

    publish(order_event("order.paid", order_id))
    wait_for(
        lambda: any(
            "failed on attempt 1 of 4, retrying" in line["message"] for line in json_logs()
        ),
        what="the first attempt to fail",
    )
    release_lock()

    wait_for(lambda: status_of(order_id) == "committed", what="the retried event to commit")
    wait_for(lambda: queue_drained(broker), what="the message to be acknowledged")
    assert stock_of(product) == (8, 0, 2)
    assert ProcessedEvent.objects.count() == 1
    assert dead_letters() == []
    [failure] = [line for line in json_logs() if "failed on attempt 1" in line["message"]]
    assert "statement timeout" in failure["message"]


@pytest.mark.usefixtures("short_statement_timeout")
def test_an_event_that_keeps_failing_is_dead_lettered_then_replayed_once(
    reserved, lock_reservation, broker, capsys
):
    product, order_id = reserved
    release_lock = lock_reservation(order_id)
    event = order_event("order.paid", order_id)

    publish(event)

    [letter] = wait_for(dead_letters, what="a dead letter")
    wait_for(lambda: queue_drained(broker), what="the message to be acknowledged")
    assert letter.attempts == 4  # CATALOG_EVENT_MAX_ATTEMPTS in the test settings
    assert letter.event_id == uuid.UUID(event["id"])
    assert letter.event_type == "order.paid"
    assert letter.envelope == event
    assert "OperationalError" in letter.error
    assert "statement timeout" in letter.error
    assert stock_of(product) == (8, 2, 0)
    assert not ProcessedEvent.objects.exists()

    release_lock()
    call_command("dead_letters", "replay", str(letter.pk))

    wait_for(lambda: status_of(order_id) == "committed", what="the replayed event")
    assert (
        f"Replayed dead letter {letter.pk} (order.paid {event['id']})." in capsys.readouterr().out
    )
    assert stock_of(product) == (8, 0, 2)
    call_command("dead_letters", "list")
    assert capsys.readouterr().out.strip() == "No dead letters."

    # Once is enough: again only on purpose, and then the event id keeps it harmless.
    with pytest.raises(CommandError, match="was replayed at"):
        call_command("dead_letters", "replay", str(letter.pk))
    call_command("dead_letters", "replay", str(letter.pk), "--force")
    wait_for(lambda: queue_drained(broker), what="the forced replay to be consumed")
    assert ProcessedEvent.objects.count() == 1
    assert stock_of(product) == (8, 0, 2)
    assert DeadLetter.objects.count() == 1


def test_an_event_breaking_its_contract_is_dead_lettered_at_once(reserved, broker):
    product, order_id = reserved
    broken = order_event("order.paid", order_id)
    del broken["data"]["payment_id"]

    publish(broken)

    [letter] = wait_for(dead_letters, what="a dead letter")
    wait_for(lambda: queue_drained(broker), what="the message to be acknowledged")
    assert letter.attempts == 1
    assert "payment_id" in letter.error
    assert stock_of(product) == (8, 2, 0)


def test_something_that_is_no_envelope_at_all_is_dead_lettered(broker):
    publish("order.paid")
    publish(envelope("user.registered", {"user_id": 1}))

    letters = wait_for(lambda: len(dead_letters()) == 2 and dead_letters(), what="dead letters")
    wait_for(lambda: queue_drained(broker), what="the messages to be acknowledged")
    assert [(letter.event_type, letter.attempts) for letter in letters] == [
        ("", 1),
        ("user.registered", 1),
    ]
    assert "not an event the catalog consumes" in letters[1].error
