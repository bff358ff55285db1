"""`manage.py dead_letters list [--all] | replay ID [--force] | replay --all`.

Events the consumer could not handle wait in the dead-letter table with the reason. Once the
cause is fixed, `replay` puts them back on the catalog queue; the consumer still deduplicates on
the event id, so replaying an event that was handled after all changes nothing.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.events import dead_letter_replay
from catalog.selectors import dead_letter_list
from shopcore.exceptions import ApplicationError


class Command(BaseCommand):
    help = "List and replay events that could not be handled."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="Dead letters, oldest first.")
        listing.add_argument(
            "--all", action="store_true", dest="include_replayed", help="Include replayed ones."
        )
        replay = actions.add_parser("replay", help="Put dead letters back on the queue.")
        replay.add_argument("dead_letter_id", nargs="?", type=int, help="The dead letter's ID.")
        replay.add_argument(
            "--all", action="store_true", dest="replay_all", help="Every one not replayed yet."
        )
        replay.add_argument(
            "--force", action="store_true", help="Replay ID even if it was replayed before."
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "list":
            self._list(include_replayed=options["include_replayed"])
        else:
            self._replay(options["dead_letter_id"], options["replay_all"], options["force"])

    def _list(self, *, include_replayed: bool) -> None:
        letters = list(dead_letter_list(include_replayed=include_replayed))
        if not letters:
            self.stdout.write("No dead letters.")
            return
        for letter in letters:
            replayed = (
                f"replayed {letter.replayed_at:%Y-%m-%d %H:%M:%S}" if letter.replayed_at else ""
            )
            self.stdout.write(
                f"{letter.pk:>5}  {letter.created_at:%Y-%m-%d %H:%M:%S}  "
                f"{letter.event_type or '?':<22} {letter.event_id or '-'}  "
                f"attempts={letter.attempts}  {replayed}".rstrip()
            )
            self.stdout.write(f"       {(letter.error.splitlines() or [''])[0][:160]}")

    def _replay(self, dead_letter_id: int | None, replay_all: bool, force: bool) -> None:
        if (dead_letter_id is None) == (not replay_all):
            raise CommandError("Give either a dead letter ID or --all.")
        if replay_all:
            ids = list(dead_letter_list().values_list("pk", flat=True))
        else:
            ids = [dead_letter_id]
        for letter_id in ids:
            try:
                letter = dead_letter_replay(dead_letter_id=letter_id, force=force)
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(
                f"Replayed dead letter {letter.pk} ({letter.event_type} {letter.event_id})."
            )
        if replay_all:
            self.stdout.write(f"{len(ids)} dead letter(s) replayed.")
