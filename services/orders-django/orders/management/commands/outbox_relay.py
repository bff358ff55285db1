"""`python manage.py outbox_relay`: publish outbox events to the subscribers' queues, forever.

The same command runs in `make dev` and in containers; several may run at once.
"""

import threading

from django.core.management.base import BaseCommand

from orders.events import outbox_relay
from orders.management.commands._signals import stop_on_signals


class Command(BaseCommand):
    help = "Publish unpublished outbox events to each subscriber's Celery queue (long-running)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="publish what is waiting, then exit"
        )

    def handle(self, *args: object, once: bool = False, **options: object) -> None:
        stop = threading.Event() if once else stop_on_signals()
        published = outbox_relay(stop=stop, once=once)
        if once:
            self.stdout.write(f"published {published} event(s)")
