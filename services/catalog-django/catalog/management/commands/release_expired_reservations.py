"""`manage.py release_expired_reservations`: give back the stock of reservations past expiry.

Safe to run often and from several places at once; a scheduler calls it periodically.
"""

from typing import Any

from django.core.management.base import BaseCommand

from catalog.services import reservation_expire_overdue


class Command(BaseCommand):
    help = "Expire active reservations whose time is up and return their units to stock."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--limit", type=int, default=500, help="At most this many per run (default 500)."
        )

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        expired = reservation_expire_overdue(limit=limit)
        self.stdout.write(f"Expired {expired} reservation(s).")
