"""A real worker, started with the production command, killed with SIGKILL mid-event.

The worker takes `order.paid` off the queue and starts applying it: its transaction has recorded
the event id and waits for the reservation's row lock, which the test holds. Then the whole
worker (main process and pool) is killed. The message was taken but never acknowledged, so
Redis keeps it in its `unacked` set; PostgreSQL rolls the half-done transaction back. A new
worker gets the message once Redis's visibility timeout has passed, and applies it, once.

The visibility timeout is 6 seconds here instead of an hour, and the restore sweep runs every
second, so the test waits seconds, not the hour a deployment would. The settings insist that the
timeout exceed the longest retry countdown plus the task time limit, hence the small values of
those too. The time limit of 5 s also makes the handler's statement timeout 2 s: the time the
test has to see the worker waiting on the lock and kill it.
"""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from catalog.models import DeadLetter, ProcessedEvent, Reservation, Stock
from catalog.services import LineRequest, reservation_reserve
from config.celery import app as celery_app
from tests.factories import ProductFactory, order_event
from tests.processes import SERVICE_DIR, production_environ
from tests.waiting import queue_drained, wait_for

# The command of the Procfile and the container images.
WORKER_COMMAND = "celery -A config worker -Q catalog --concurrency 2 --loglevel INFO"
WORKER_ENVIRON = {
    "CELERY_TASK_TIME_LIMIT": "5",
    "CATALOG_EVENT_RETRY_BACKOFF_MAX": "0.5",
    "CELERY_VISIBILITY_TIMEOUT": "6",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
}

pytestmark = pytest.mark.django_db(transaction=True)


def start_worker(log: Path) -> subprocess.Popen:
    """The production command, with the short timeouts above."""
    return subprocess.Popen(
        [sys.executable, "-m", *WORKER_COMMAND.split()],
        cwd=SERVICE_DIR,
        env=production_environ(**WORKER_ENVIRON),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a process group of its own: the pool dies with it
    )


def waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_mid_event_leaves_it_to_the_next_worker(broker, tmp_path):
    product = ProductFactory(stock__on_hand=10)
    order_id = str(uuid.uuid4())
    reservation_reserve(order_id=order_id, lines=[LineRequest(product.pk, 2)])
    lock_holder = psycopg2.connect(**connection.get_connection_params())
    with lock_holder.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM catalog_reservation WHERE order_id = %s FOR UPDATE", [order_id]
        )
    log = tmp_path / "worker.log"

    first = start_worker(log)
    try:
        celery_app.send_task(
            "catalog.handle_event", args=[order_event("order.paid", order_id)], queue="catalog"
        )
        wait_for(waiting_on_a_lock, what="the worker to be mid-event", timeout=60)
        os.killpg(first.pid, signal.SIGKILL)
    finally:
        first.wait(timeout=10)
        lock_holder.rollback()
        lock_holder.close()

    # Taken off the queue and never acknowledged: Redis holds it for whoever comes next.
    assert broker.llen("catalog") == 0
    assert broker.hlen("unacked") == 1
    assert not ProcessedEvent.objects.exists()

    second = start_worker(log)
    try:
        wait_for(
            lambda: Reservation.objects.get(order_id=order_id).status == "committed",
            what=f"the restored event; worker log:\n{log.read_text()}",
            timeout=60,
        )
        # Give a wrongly restored second copy every chance to show up.
        wait_for(lambda: queue_drained(broker), what="the queue to be empty")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)

    assert ProcessedEvent.objects.count() == 1
    stock = Stock.objects.get(product=product)
    assert (stock.on_hand, stock.reserved, stock.sold) == (8, 0, 2)
    assert not DeadLetter.objects.exists()
