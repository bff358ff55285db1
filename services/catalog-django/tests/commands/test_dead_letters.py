import base64
import io
import json
import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalog.models import DeadLetter
from tests.factories import order_event

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("dead_letters", *args, stdout=out)
    return out.getvalue()


def letter(**fields) -> DeadLetter:
    event = order_event("order.paid", str(uuid.uuid4()))
    values = {
        "event_id": event["id"],
        "event_type": event["type"],
        "envelope": event,
        "error": "OperationalError: could not connect to server\nIs the server running?",
        "attempts": 6,
        **fields,
    }
    return DeadLetter.objects.create(**values)


def queued(broker) -> list[tuple[str, list]]:
    """(task name, positional arguments) of every message waiting in the catalog queue."""
    messages = [json.loads(raw) for raw in reversed(broker.lrange("catalog", 0, -1))]
    return [
        (message["headers"]["task"], json.loads(base64.b64decode(message["body"]))[0])
        for message in messages
    ]


def test_list_says_so_when_there_is_nothing():
    assert run("list").strip() == "No dead letters."


def test_list_shows_what_failed_and_why():
    open_letter = letter()
    replayed = letter(replayed_at=timezone.now() - timedelta(minutes=5))

    listed = run("list")
    everything = run("list", "--all")

    assert str(open_letter.event_id) in listed
    assert "order.paid" in listed
    assert "attempts=6" in listed
    assert "OperationalError: could not connect to server" in listed
    assert "Is the server running?" not in listed  # the first line of the error is enough
    assert str(replayed.event_id) not in listed
    assert str(replayed.event_id) in everything
    assert "replayed " in everything


def test_replay_puts_the_envelope_back_on_the_catalog_queue(broker):
    stored = letter()

    assert run("replay", str(stored.pk)).strip() == (
        f"Replayed dead letter {stored.pk} (order.paid {stored.event_id})."
    )

    assert queued(broker) == [("catalog.handle_event", [stored.envelope])]
    stored.refresh_from_db()
    assert stored.replayed_at is not None


def test_replay_all_takes_every_open_one(broker):
    first, second = letter(), letter()
    letter(replayed_at=timezone.now())

    output = run("replay", "--all")

    assert "2 dead letter(s) replayed." in output
    assert queued(broker) == [
        ("catalog.handle_event", [first.envelope]),
        ("catalog.handle_event", [second.envelope]),
    ]
    assert not DeadLetter.objects.filter(replayed_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Give either a dead letter ID or --all."),
        (("1", "--all"), "Give either a dead letter ID or --all."),
        (("99",), "There is no dead letter 99."),
    ],
)
def test_replay_refuses_what_it_cannot_do(args, message, broker):
    with pytest.raises(CommandError, match=message):
        run("replay", *args)

    assert broker.llen("catalog") == 0


def test_a_replayed_letter_goes_again_only_with_force(broker):
    stored = letter(replayed_at=timezone.now() - timedelta(hours=1))

    with pytest.raises(CommandError, match="pass --force to replay it again"):
        run("replay", str(stored.pk))
    assert broker.llen("catalog") == 0

    run("replay", str(stored.pk), "--force")
    assert queued(broker) == [("catalog.handle_event", [stored.envelope])]
