"""The consumer on a real broker: events travel through Redis to a real Celery worker.

Retries, dead letters and replays are exercised end to end: the only doubles are auth and orders
at the HTTP boundary; SMTP, Redis and PostgreSQL are real.
"""

import uuid

import pytest
import redis
from sqlalchemy import func, select
from tests.factories import envelope, order_event, user_registered
from tests.fakes import wait_for

from notify.extensions import db
from notify.models import DeadLetter, EmailDelivery, Notification, ProcessedEvent


def publish(app, event) -> None:
    """What a producer's outbox relay does."""
    app.extensions["celery"].send_task("notify.handle_event", args=[event], queue="notify")


def count(model, *where) -> int:
    query = select(func.count()).select_from(model)
    if where:
        query = query.where(*where)
    value = db.session.scalar(query)
    db.session.rollback()  # read fresh data on the next poll, hold no locks meanwhile
    return value


def dead_letters() -> list[DeadLetter]:
    letters = list(db.session.scalars(select(DeadLetter).order_by(DeadLetter.id)))
    db.session.rollback()
    return letters


def queue_drained(redis_url: str) -> bool:
    client = redis.Redis.from_url(redis_url)
    return client.llen("notify") == 0 and client.hlen("unacked") == 0


pytestmark = pytest.mark.usefixtures("worker")


def test_an_event_delivered_twice_is_handled_once(app, peers, mail_server, redis_url):
    peers.add_user(3, email="ada@example.com")
    event = order_event("order.paid", peers.add_order(user_id=3))

    publish(app, event)
    publish(app, event)

    wait_for(lambda: count(ProcessedEvent) == 1, what="the event to be handled")
    wait_for(lambda: queue_drained(redis_url), what="both deliveries to be consumed")
    assert len(mail_server.store.list()) == 1
    assert count(Notification) == 1
    # The event's correlation id followed it into the REST calls made for it.
    [user_read] = peers.requests_to("/internal/users/3")
    assert user_read.headers["X-Request-ID"] == event["correlation_id"]


def test_smtp_down_is_retried_until_it_is_back(app, peers, mail_server):
    peers.add_user(3)
    event = order_event("order.shipped", peers.add_order(user_id=3))
    mail_server.stop_smtp()

    publish(app, event)
    # Every attempt reads the user before it tries to send: two reads, two failed sends.
    wait_for(lambda: len(peers.requests_to("/internal/users/3")) >= 2, what="a retry")
    assert count(Notification) == 0
    mail_server.start_smtp()

    wait_for(lambda: count(Notification) == 1, what="the notification after SMTP is back")
    assert len(mail_server.store.list()) == 1
    assert dead_letters() == []


def test_a_peer_answering_5xx_is_retried(app, peers, mail_server):
    peers.add_user(3)
    order = peers.add_order(user_id=3)
    path = f"/internal/orders/{order['id']}/"
    peers.fail(path, 503, 502)

    publish(app, order_event("order.delivered", order, carried=False))

    wait_for(lambda: count(Notification) == 1, what="the notification")
    assert len(peers.requests_to(path)) == 3
    assert len(mail_server.store.list()) == 1
    assert dead_letters() == []


def test_an_event_that_always_fails_is_dead_lettered_then_replayed_once(
    app, peers, mail_server, redis_url
):
    peers.add_user(3, email="ada@example.com")
    order = peers.add_order(user_id=3)
    path = f"/internal/orders/{order['id']}/"
    peers.outage(path, 503)
    # Written before events carried the order: the replay, too, has to read it from orders.
    event = order_event("order.paid", order, carried=False)

    publish(app, event)

    [letter] = wait_for(dead_letters, what="a dead letter")
    attempts = app.config["NOTIFY_MAX_RETRIES"] + 1
    assert letter.attempts == attempts
    assert letter.event_id == uuid.UUID(event["id"])
    assert letter.event_type == "order.paid"
    assert letter.envelope == event
    assert "503" in letter.error
    assert len(peers.requests_to(path)) == attempts
    wait_for(lambda: queue_drained(redis_url), what="the message to be acknowledged")
    assert mail_server.store.list() == []
    assert count(Notification) == 0

    runner = app.test_cli_runner()
    listed = runner.invoke(args=["dead-letters", "list"])
    assert listed.exit_code == 0
    assert f"{event['id']}" in listed.output
    assert "attempts=6" in listed.output

    peers.recover(path)
    replayed = runner.invoke(args=["dead-letters", "replay", str(letter.id)])
    assert replayed.exit_code == 0, replayed.output
    assert f"Replayed dead letter {letter.id}" in replayed.output

    wait_for(lambda: count(Notification) == 1, what="the replayed event to be handled")
    [mail] = mail_server.store.list()
    assert "ada@example.com" in mail.path.read_text()
    assert dead_letters()[0].replayed_at is not None
    assert runner.invoke(args=["dead-letters", "list"]).output.strip() == "No dead letters."

    # Replaying again is refused without --force, and harmless with it: dedupe holds.
    again = runner.invoke(args=["dead-letters", "replay", str(letter.id)])
    assert again.exit_code != 0
    assert "was replayed at" in again.output
    forced = runner.invoke(args=["dead-letters", "replay", str(letter.id), "--force"])
    assert forced.exit_code == 0
    wait_for(lambda: queue_drained(redis_url), what="the forced replay to be consumed")
    assert len(mail_server.store.list()) == 1
    assert count(Notification) == 1
    assert count(EmailDelivery, EmailDelivery.sent_at.is_not(None)) == 1


def test_an_event_breaking_its_schema_is_dead_lettered_at_once(app, peers, redis_url):
    broken = envelope("order.shipped", {"order_id": "not-a-uuid", "number": "1", "user_id": 3})
    del broken["source"]

    publish(app, broken)

    [letter] = wait_for(dead_letters, what="a dead letter")
    assert letter.attempts == 1
    assert "source" in letter.error
    assert letter.envelope == broken
    assert peers.state.seen == []


def test_an_unknown_user_is_dead_lettered_at_once(app, peers, mail_server):
    order = peers.add_order(user_id=404)  # auth has no such user

    publish(app, order_event("order.shipped", order))

    [letter] = wait_for(dead_letters, what="a dead letter")
    assert letter.attempts == 1
    assert "404" in letter.error
    assert len(peers.requests_to("/internal/users/404")) == 1
    assert mail_server.store.list() == []


def test_replay_all_puts_every_open_dead_letter_back(app, peers, mail_server):
    users = [peers.add_user(user_id) for user_id in (21, 22)]
    events = [user_registered(user) | {"correlation_id": None} for user in users]
    for event in events:
        # Stored as the task would have stored them, for a cause since fixed.
        db.session.add(
            DeadLetter(
                event_id=uuid.UUID(event["id"]),
                event_type=event["type"],
                envelope=event,
                error="TransientError: SMTP 127.0.0.1: connection refused",
                attempts=6,
            )
        )
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["dead-letters", "replay", "--all"])

    assert result.exit_code == 0, result.output
    assert "2 dead letter(s) replayed." in result.output
    wait_for(lambda: count(Notification) == 2, what="both replayed events")
    assert len(mail_server.store.list()) == 2
