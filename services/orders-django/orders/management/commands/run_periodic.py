"""`python manage.py run_periodic`: the periodic jobs of orders-django, in one small loop.

Every PERIODIC_INTERVAL_SECONDS: cancel stale pending orders, prune expired idempotency keys
and old published outbox rows. A plain loop rather than Celery beat: this service runs no
Celery worker, and each job is safe to run from several replicas at once (row locks and
idempotent deletes), so no single scheduler is needed.
"""

import logging
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from orders.events import outbox_prune
from orders.idempotency import idempotency_keys_prune
from orders.management.commands._signals import stop_on_signals
from orders.services import orders_release_stale

logger = logging.getLogger(__name__)


def run_once() -> dict[str, int]:
    return {
        "stale_orders_cancelled": len(orders_release_stale()),
        "idempotency_keys_pruned": idempotency_keys_prune(),
        "outbox_events_pruned": outbox_prune(),
    }


class Command(BaseCommand):
    help = "Run the periodic jobs (stale orders, key and outbox pruning) every interval."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="run every job once, then exit")

    def handle(self, *args: object, once: bool = False, **options: object) -> None:
        stop = threading.Event() if once else stop_on_signals()
        while not stop.is_set():
            try:
                results = run_once()
                logger.info("periodic jobs done", extra=results)
                if once:
                    self.stdout.write(" ".join(f"{k}={v}" for k, v in results.items()))
            except Exception:
                if once:
                    raise
                logger.exception("periodic jobs failed; trying again next interval")
            finally:
                close_old_connections()
            if once:
                return
            stop.wait(settings.PERIODIC_INTERVAL_SECONDS)
