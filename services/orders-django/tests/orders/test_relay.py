"""The relay: outbox rows -> one Celery task per subscriber on its own queue, on a real Redis."""

import threading
import time
import uuid

import pytest
from celery import Celery
from django.db import connection, transaction

from config.celery import app as celery_app
from orders import events
from orders.events import OutboxPublishError, event_record, outbox_publish_batch, outbox_relay
from orders.models import OutboxEvent
from tests.contracts import assert_valid_event

pytestmark = pytest.mark.django_db


def _record(event_type: str = "order.paid") -> OutboxEvent:
    data = {"order_id": str(uuid.uuid4()), "number": "250101-ABCDEFGH", "user_id": 1}
    if event_type == "order.paid":
        data.update(total="24.90", currency="EUR", payment_id="pay_1")
    with transaction.atomic():
        return event_record(type=event_type, data=data)


def _drain(queue: str, app: Celery = celery_app) -> list[tuple[str, dict]]:
    """(task name, envelope) of every message waiting on `queue`, taken off it."""
    messages = []
    with app.connection_for_read() as connection, connection.SimpleQueue(queue) as simple:
        while True:
            try:
                message = simple.get(timeout=0.2)
            except simple.Empty:
                return messages
            args, _kwargs, _embed = message.decode()
            messages.append((message.headers["task"], args[0]))
            message.ack()


def test_a_whole_batch_is_marked_published_by_one_update(broker, django_assert_num_queries):
    for _ in range(5):
        _record("order.shipped")

    # Locking the batch, then one UPDATE for all of it (savepoints here: the test runs in a
    # transaction).
    with django_assert_num_queries(4):
        assert outbox_publish_batch() == 5

    assert not OutboxEvent.objects.filter(published_at__isnull=True).exists()
    assert len(_drain("notify")) == 5


def test_relay_sends_one_task_per_subscriber_and_marks_the_row(broker):
    paid = _record("order.paid")
    shipped = _record("order.shipped")

    assert outbox_publish_batch() == 2

    for row in OutboxEvent.objects.all():
        assert row.published_at is not None
        assert row.attempts == 1
    catalog_queue = _drain("catalog")
    notify_queue = _drain("notify")
    assert catalog_queue == [("catalog.handle_event", paid.payload)]
    assert notify_queue == [
        ("notify.handle_event", paid.payload),
        ("notify.handle_event", shipped.payload),
    ]
    for _, envelope in notify_queue:
        assert_valid_event(envelope)
    assert outbox_publish_batch() == 0  # nothing is sent twice in normal operation


def test_a_consumer_worker_receives_the_event_as_its_handle_event_task(broker, settings):
    """A real Celery worker, as notify-flask runs one, consuming only its own queue."""
    from celery.contrib.testing.worker import start_worker

    consumer = Celery("notify-under-test", broker=settings.CELERY_BROKER_URL)
    consumer.conf.update(task_acks_late=True, worker_prefetch_multiplier=1)
    received: list[dict] = []
    arrived = threading.Event()

    @consumer.task(name="notify.handle_event")
    def handle_event(envelope: dict) -> None:
        received.append(envelope)
        arrived.set()

    event = _record("order.shipped")
    outbox_publish_batch()

    with start_worker(
        consumer, queues=["notify"], pool="solo", perform_ping_check=False, shutdown_timeout=5
    ):
        assert arrived.wait(10)
    assert received == [event.payload]


def test_a_crash_between_publish_and_mark_publishes_again(broker, monkeypatch):
    event = _record("order.shipped")
    real_publish = events.event_publish

    def publish_then_die(envelope: dict) -> list[str]:
        real_publish(envelope)
        raise SystemExit("relay killed after sending")

    monkeypatch.setattr(events, "event_publish", publish_then_die)
    with pytest.raises(SystemExit):
        outbox_publish_batch()
    monkeypatch.undo()
    assert OutboxEvent.objects.get().published_at is None  # the mark was never committed

    assert outbox_publish_batch() == 1

    # Delivered twice with the same id: at least once; consumers deduplicate on the id.
    assert _drain("notify") == [("notify.handle_event", event.payload)] * 2
    assert OutboxEvent.objects.get().published_at is not None


def test_broker_down_keeps_the_row_and_records_the_error(broker, monkeypatch):
    from testenv import free_port

    dead = Celery("orders-dead-broker", broker=f"redis://127.0.0.1:{free_port()}/0")
    dead.conf.update(broker_connection_timeout=0.5, broker_connection_retry=False)
    monkeypatch.setattr(events, "celery_app", dead)
    _record("order.shipped")

    started = time.monotonic()
    with pytest.raises(OutboxPublishError):
        outbox_publish_batch()

    assert time.monotonic() - started < 10
    row = OutboxEvent.objects.get()
    assert row.published_at is None
    assert row.attempts == 1
    assert "Error" in row.last_error


def test_publishing_stops_at_the_first_failure_to_keep_the_order(broker, monkeypatch):
    first, second = _record("order.shipped"), _record("order.delivered")
    sent = []

    def flaky(envelope: dict) -> list[str]:
        if envelope["id"] == str(second.id):
            raise ConnectionError("broker went away")
        sent.append(envelope["id"])
        return ["notify"]

    monkeypatch.setattr(events, "event_publish", flaky)
    with pytest.raises(OutboxPublishError):
        outbox_publish_batch()

    assert sent == [str(first.id)]
    assert OutboxEvent.objects.get(pk=first.id).published_at is not None
    assert OutboxEvent.objects.get(pk=second.id).published_at is None


@pytest.mark.django_db(transaction=True)
def test_the_relay_loop_backs_off_and_recovers_when_the_broker_returns(broker, monkeypatch):
    event = _record("order.shipped")
    real_publish = events.event_publish
    failures = {"left": 3}

    def recovering(envelope: dict) -> list[str]:
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionError("broker restarting")
        return real_publish(envelope)

    monkeypatch.setattr(events, "event_publish", recovering)
    stop = threading.Event()

    def run_relay() -> None:
        try:
            outbox_relay(stop=stop)
        finally:
            connection.close()

    relay = threading.Thread(target=run_relay)
    relay.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if OutboxEvent.objects.get().published_at is not None:
                break
            time.sleep(0.02)
    finally:
        stop.set()
        relay.join(5)

    row = OutboxEvent.objects.get()
    assert row.published_at is not None
    assert row.attempts == 4
    assert _drain("notify") == [("notify.handle_event", event.payload)]


def test_old_published_rows_are_pruned_unpublished_ones_never(broker):
    from datetime import timedelta

    from django.utils import timezone

    old, fresh, waiting = _record(), _record(), _record()
    OutboxEvent.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=8))
    OutboxEvent.objects.filter(pk=fresh.pk).update(published_at=timezone.now())
    OutboxEvent.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=30))

    assert events.outbox_prune() == 1

    assert set(OutboxEvent.objects.values_list("pk", flat=True)) == {fresh.pk, waiting.pk}


def test_events_written_while_redis_is_down_arrive_after_it_restarts(monkeypatch):
    """A private Redis, stopped and started again: nothing is lost on either side of it."""
    from testenv import RedisServer

    with RedisServer() as server:
        own = Celery("orders-own-broker", broker=server.url)
        own.conf.update(broker_connection_timeout=0.5, broker_connection_retry=False)
        monkeypatch.setattr(events, "celery_app", own)
        before = _record("order.shipped")
        assert outbox_publish_batch() == 1

        server.stop()
        during = _record("order.delivered")
        with pytest.raises(OutboxPublishError):
            outbox_publish_batch()
        assert OutboxEvent.objects.get(pk=during.pk).published_at is None

        server.start()  # same data directory: the append-only file brings the queue back
        assert outbox_publish_batch() == 1

        assert _drain("notify", own) == [
            ("notify.handle_event", before.payload),
            ("notify.handle_event", during.payload),
        ]


@pytest.mark.django_db(transaction=True)
def test_two_relays_side_by_side_publish_each_event_once(broker, settings, monkeypatch):
    settings.OUTBOX_BATCH_SIZE = 3
    recorded = [_record("order.shipped") for _ in range(30)]
    real_publish = events.event_publish

    def slow_publish(envelope: dict) -> list[str]:
        time.sleep(0.005)  # long enough for the relays' batches to overlap
        return real_publish(envelope)

    monkeypatch.setattr(events, "event_publish", slow_publish)
    counts: list[int] = []
    start = threading.Barrier(2)

    def relay() -> None:
        connection.ensure_connection()
        start.wait()
        try:
            counts.append(outbox_relay(stop=threading.Event(), once=True))
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sum(counts) == 30
    assert all(count > 0 for count in counts)  # both did part of the work
    sent = [envelope["id"] for _, envelope in _drain("notify")]
    assert sorted(sent) == sorted(str(event.id) for event in recorded)
