"""The periodic sweep: beat sends `catalog.expire_reservations`, a worker expires what is due."""

import json
import signal
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Reservation, Stock
from catalog.services import LineRequest, reservation_commit, reservation_reserve
from config.celery import app as celery_app
from tests.factories import ProductFactory
from tests.processes import production_environ
from tests.waiting import queue_drained, wait_for

# The command of the Procfile and the container images.
BEAT_COMMAND = "celery -A config beat --loglevel INFO"


def _reserve(product, quantity: int) -> str:
    order_id = str(uuid.uuid4())
    reservation_reserve(order_id=order_id, lines=[LineRequest(product.pk, quantity)])
    return order_id


def _overdue(order_id: str) -> None:
    Reservation.objects.filter(order_id=order_id).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )


@pytest.mark.usefixtures("worker")
def test_the_sweep_releases_overdue_active_reservations_only(broker):
    product = ProductFactory(stock__on_hand=10)
    overdue = _reserve(product, 3)
    current = _reserve(product, 2)
    paid_late = _reserve(product, 1)
    reservation_commit(order_id=paid_late)
    for order_id in (overdue, paid_late):
        _overdue(order_id)

    celery_app.send_task("catalog.expire_reservations", queue="catalog")

    wait_for(
        lambda: Reservation.objects.get(order_id=overdue).status == "expired",
        what="the overdue reservation to expire",
    )
    wait_for(lambda: queue_drained(broker), what="the sweep to be acknowledged")
    statuses = dict(Reservation.objects.values_list("order_id", "status"))
    assert statuses == {overdue: "expired", current: "active", paid_late: "committed"}
    stock = Stock.objects.get(product=product)
    assert (stock.on_hand, stock.reserved, stock.sold) == (7, 2, 1)


def test_beat_sends_the_sweep_to_the_catalog_queue_and_writes_no_file(broker, tmp_path):
    beat = subprocess.Popen(
        [sys.executable, "-m", *BEAT_COMMAND.split()],
        cwd=tmp_path,  # where a schedule file would appear
        env=production_environ(CATALOG_RESERVATION_SWEEP_SECONDS="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        raw = wait_for(lambda: broker.lpop("catalog"), what="a sweep message", timeout=30)
    finally:
        beat.send_signal(signal.SIGTERM)
        output, _ = beat.communicate(timeout=20)

    message = json.loads(raw)
    assert message["headers"]["task"] == "catalog.expire_reservations"
    # A sweep nobody ran within one interval is dropped: the next one does the same work.
    assert message["headers"]["expires"] is not None
    assert list(tmp_path.iterdir()) == [], output
