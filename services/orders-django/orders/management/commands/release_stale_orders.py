"""`python manage.py release_stale_orders`: cancel orders stuck in pending_payment.

One pass by default (cron-style); `run_periodic` calls the same service in a loop.
"""

from django.core.management.base import BaseCommand

from orders.services import orders_release_stale


class Command(BaseCommand):
    help = "Cancel pending_payment orders older than ORDERS_PENDING_TTL_SECONDS (actor: system)."

    def handle(self, *args: object, **options: object) -> None:
        cancelled = orders_release_stale()
        self.stdout.write(f"cancelled {len(cancelled)} stale order(s)")
