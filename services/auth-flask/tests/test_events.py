"""The outbox and its relay: events -> one Celery task per subscriber on its own Redis queue."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select, update

import testenv
from auth import events
from auth.events import OutboxPublishError, event_record, outbox_publish_batch, outbox_relay
from auth.extensions import db
from auth.models import OutboxEvent, utcnow

SERVICE_DIR = Path(__file__).resolve().parent.parent
DATA = {"user_id": 7, "email": "ada@example.com", "name": "Ada Lovelace"}


def _recorded(**data: object) -> OutboxEvent:
    """A committed user.registered event."""
    event = event_record(type="user.registered", data={**DATA, **data})
    db.session.commit()
    return event


def _outbox() -> list[OutboxEvent]:
    """The rows as committed now (another connection may have changed them)."""
    db.session.rollback()
    return list(db.session.scalars(select(OutboxEvent).order_by(OutboxEvent.created_at)))


def _wait_for(condition: Callable[[], bool], *, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


# -- the envelope -------------------------------------------------------------------------------


def test_the_envelope_carries_id_type_version_source_time_and_data(app, assert_valid_event):
    at = utcnow()

    event = event_record(type="user.registered", data=DATA, at=at)
    db.session.commit()

    envelope = _outbox()[0].payload
    assert envelope == {
        "id": str(event.id),
        "type": "user.registered",
        "version": 1,
        "source": "auth",
        "time": at.isoformat().replace("+00:00", "Z"),
        "correlation_id": None,  # not caused by a request
        "data": DATA,
    }
    assert_valid_event(envelope)
    assert event.published_at is None
    assert event.attempts == 0


def test_the_correlation_id_is_the_request_id(app):
    with app.test_request_context(headers={"X-Request-ID": "req-42"}):
        event = event_record(type="user.registered", data=DATA)

    assert event.payload["correlation_id"] == "req-42"


def test_an_event_rolls_back_with_its_transaction(app):
    event_record(type="user.registered", data=DATA)
    db.session.rollback()

    assert _outbox() == []


def test_data_that_breaks_the_contract_fails_the_schema_check(app, assert_valid_event):
    import jsonschema

    event = event_record(type="user.registered", data={**DATA, "user_id": "7"})

    with pytest.raises(jsonschema.ValidationError, match="'7' is not of type 'integer'"):
        assert_valid_event(event.payload)


def test_subscribers_come_from_the_subscriptions_file(app):
    assert events.subscribers_for("user.registered") == ("notify",)
    assert events.subscribers_for("order.paid") == ("catalog", "notify")
    assert events.subscribers_for("user.nobody_listens") == ()


# -- the relay ----------------------------------------------------------------------------------


def test_the_relay_sends_a_notify_handle_event_task_and_marks_the_row(
    relay_app, broker, queued_tasks, assert_valid_event
):
    with relay_app.app_context():
        first, second = _recorded(user_id=1), _recorded(user_id=2)

        assert outbox_publish_batch() == 2

        rows = _outbox()
        assert all(row.published_at is not None for row in rows)
        assert [row.attempts for row in rows] == [1, 1]
        assert [row.last_error for row in rows] == [None, None]
        tasks = queued_tasks(broker, "notify")
        assert tasks == [
            ("notify.handle_event", [first.payload]),
            ("notify.handle_event", [second.payload]),
        ]
        for _name, (envelope,) in tasks:
            assert_valid_event(envelope)
        # Only subscribers get it: the catalog does not listen to user.registered.
        assert broker.exists("catalog") == 0

        assert outbox_publish_batch() == 0  # nothing is sent twice in normal operation
        assert len(queued_tasks(broker, "notify")) == 2


def test_events_leave_oldest_first_in_batches(make_app, broker_server, broker, queued_tasks):
    app = make_app(REDIS_URL=broker_server.url, OUTBOX_BATCH_SIZE="2")
    with app.app_context():
        recorded = [_recorded(user_id=number) for number in range(5)]

        assert outbox_relay(stop=threading.Event(), once=True) == 5

        sent = [args[0]["data"]["user_id"] for _name, args in queued_tasks(broker, "notify")]
        assert sent == [event.payload["data"]["user_id"] for event in recorded]


def test_an_event_without_subscribers_is_marked_without_sending(relay_app, broker):
    with relay_app.app_context():
        event_record(type="user.nobody_listens", data={})
        db.session.commit()

        assert outbox_publish_batch() == 1

        assert _outbox()[0].published_at is not None
        assert broker.dbsize() == 0


def test_a_relay_killed_between_sending_and_marking_sends_again(
    relay_app, broker, queued_tasks, monkeypatch
):
    def killed(_event: OutboxEvent) -> None:
        raise SystemExit("relay killed after sending")

    with relay_app.app_context():
        event = _recorded()
        monkeypatch.setattr(events, "_outbox_mark_published", killed)
        with pytest.raises(SystemExit):
            outbox_publish_batch()
        monkeypatch.undo()
        assert _outbox()[0].published_at is None  # the mark never committed
        assert len(queued_tasks(broker, "notify")) == 1  # but the task was sent

        assert outbox_publish_batch() == 1

        # The same event twice, same id: at least once; the consumer deduplicates on the id.
        assert queued_tasks(broker, "notify") == [("notify.handle_event", [event.payload])] * 2
        assert _outbox()[0].published_at is not None


def test_a_failure_stops_the_batch_and_keeps_the_order(
    relay_app, broker, queued_tasks, monkeypatch
):
    real_publish = events.event_publish

    with relay_app.app_context():
        first, second, third = (_recorded(user_id=number) for number in range(3))

        def broker_fails_on_the_second(envelope: dict) -> tuple[str, ...]:
            if envelope["id"] == str(second.id):
                raise ConnectionError("broker went away")
            return real_publish(envelope)

        monkeypatch.setattr(events, "event_publish", broker_fails_on_the_second)
        with pytest.raises(OutboxPublishError, match="broker went away"):
            outbox_publish_batch()

        rows = {row.id: row for row in _outbox()}
        assert rows[first.id].published_at is not None
        assert rows[second.id].published_at is None
        assert rows[second.id].attempts == 1
        assert rows[second.id].last_error == "ConnectionError: broker went away"
        assert rows[third.id].published_at is None
        assert rows[third.id].attempts == 0  # never tried, so never sent ahead of the second
        assert queued_tasks(broker, "notify") == [("notify.handle_event", [first.payload])]


def test_while_redis_is_down_events_wait_and_they_arrive_once_it_is_back(make_app, queued_tasks):
    """A Redis of this test's own, stopped and started again with its data (append-only file)."""
    with testenv.RedisServer() as server:
        app = make_app(REDIS_URL=server.url, OUTBOX_IDLE_MS="10", OUTBOX_BACKOFF_MAX_SECONDS="1")
        with app.app_context():
            before = _recorded(user_id=1)
            assert outbox_publish_batch() == 1

            server.stop()
            during = _recorded(user_id=2)
            started = time.monotonic()
            with pytest.raises(OutboxPublishError):
                outbox_publish_batch()
            assert time.monotonic() - started < 5  # gives up quickly and leaves the row
            (_, waiting) = _outbox()
            assert waiting.published_at is None
            assert waiting.attempts == 1
            assert waiting.last_error.startswith("OperationalError: ")

            # The long-running relay keeps trying, backing off, until Redis answers again.
            stop = threading.Event()
            relay = threading.Thread(target=_run_relay, args=(app, stop))
            relay.start()
            try:
                _wait_for(lambda: _outbox()[1].attempts >= 3)
                assert _outbox()[1].published_at is None
                server.start()
                _wait_for(lambda: _outbox()[1].published_at is not None)
            finally:
                stop.set()
                relay.join(10)
            assert not relay.is_alive()

            with redis.Redis.from_url(server.url) as client:
                assert queued_tasks(client, "notify") == [
                    ("notify.handle_event", [before.payload]),
                    ("notify.handle_event", [during.payload]),
                ]


def _run_relay(app: Flask, stop: threading.Event) -> None:
    with app.app_context():
        outbox_relay(stop=stop)


def test_two_relays_side_by_side_send_each_event_once(
    make_app, broker_server, broker, queued_tasks, monkeypatch
):
    """FOR UPDATE SKIP LOCKED: a relay skips the rows another one is sending."""
    app = make_app(REDIS_URL=broker_server.url, OUTBOX_BATCH_SIZE="3")
    real_publish = events.event_publish

    def slow_publish(envelope: dict) -> tuple[str, ...]:
        time.sleep(0.005)  # long enough for the two relays' batches to overlap
        return real_publish(envelope)

    monkeypatch.setattr(events, "event_publish", slow_publish)
    with app.app_context():
        recorded = [str(_recorded(user_id=number).id) for number in range(30)]
    counts: list[int] = []

    def relay() -> None:
        with app.app_context():
            counts.append(outbox_relay(stop=threading.Event(), once=True))

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sum(counts) == 30
    assert all(count > 0 for count in counts)  # both did part of the work
    sent = [args[0]["id"] for _name, args in queued_tasks(broker, "notify")]
    assert sorted(sent) == sorted(recorded)


def test_the_relay_works_on_sqlite_the_development_database(
    make_app, broker_server, broker, queued_tasks, tmp_path
):
    app = make_app(
        DATABASE_URL=f"sqlite:///{tmp_path / 'auth.sqlite3'}", REDIS_URL=broker_server.url
    )
    with app.app_context():
        upgrade()
        event = _recorded()

        result = app.test_cli_runner().invoke(args=["outbox", "relay", "--once"])

        assert result.exit_code == 0, result.output
        assert queued_tasks(broker, "notify") == [("notify.handle_event", [event.payload])]
        assert _outbox()[0].published_at is not None


# -- commands -----------------------------------------------------------------------------------


def test_relay_once_publishes_what_waits_and_exits(relay_app, broker, queued_tasks):
    with relay_app.app_context():
        _recorded(user_id=1)
        _recorded(user_id=2)

    result = relay_app.test_cli_runner().invoke(args=["outbox", "relay", "--once"])

    assert result.exit_code == 0, result.output
    assert result.output == "Published 2 events.\n"
    assert len(queued_tasks(broker, "notify")) == 2


def test_the_relay_command_runs_until_sigterm(
    relay_app, base_environ, broker_server, broker, queued_tasks
):
    """The exact command of `make dev` and the containers, as a process of its own."""
    environ = {**os.environ, **base_environ, "REDIS_URL": broker_server.url, "OUTBOX_IDLE_MS": "50"}
    relay = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "auth", "outbox", "relay"],
        cwd=SERVICE_DIR,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with relay_app.app_context():
            event = _recorded()
            _wait_for(lambda: len(queued_tasks(broker, "notify")) == 1)
            _wait_for(lambda: _outbox()[0].published_at is not None)
    finally:
        relay.send_signal(signal.SIGTERM)
        output, _ = relay.communicate(timeout=10)

    assert relay.returncode == 0, output
    assert queued_tasks(broker, "notify") == [("notify.handle_event", [event.payload])]
    assert '"message": "Published 1 outbox events"' in output


def test_relay_once_fails_clearly_while_the_broker_is_down(make_app, unused_redis_url):
    app = make_app(REDIS_URL=unused_redis_url)
    with app.app_context():
        _recorded()

    result = app.test_cli_runner().invoke(args=["outbox", "relay", "--once"])

    assert result.exit_code == 1
    assert "Publishing stopped; the events wait in the outbox" in result.output
    with app.app_context():
        assert _outbox()[0].published_at is None


def test_prune_deletes_old_published_events_only(app):
    old, recent, waiting = _recorded(), _recorded(), _recorded()
    now = utcnow()
    for event, published_at in ((old, now - timedelta(days=8)), (recent, now)):
        db.session.execute(
            update(OutboxEvent).where(OutboxEvent.id == event.id).values(published_at=published_at)
        )
    db.session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.id == waiting.id)
        .values(created_at=now - timedelta(days=30))
    )
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["outbox", "prune", "--older-than-days", "7"])

    assert result.exit_code == 0, result.output
    assert result.output == "Deleted 1 published events.\n"
    assert {row.id for row in _outbox()} == {recent.id, waiting.id}
