"""Real worker processes, started with the production command, killed with SIGKILL mid-event.

The worker takes the event and starts handling it (it is waiting for the orders service when it
dies), so the message is reserved in Redis but never acknowledged. A restarted worker gets it
back once Redis's visibility timeout has passed, and handles it, once.

The visibility timeout is shortened to a few seconds here, and the restore sweep to one second,
so the test does not wait an hour; config checks that the timeout still exceeds the longest
retry countdown plus the task time limit, which is why those are small too.
"""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import redis
from sqlalchemy import func, select
from tests.factories import order_event
from tests.fakes import wait_for

from notify.extensions import db
from notify.models import Notification, ProcessedEvent

WORKER_ENVIRON = {
    "NOTIFY_VISIBILITY_TIMEOUT": "4",
    "NOTIFY_UNACKED_RESTORE_INTERVAL": "1",
    "NOTIFY_TASK_TIME_LIMIT": "3",
    "NOTIFY_RETRY_BACKOFF_MAX": "0.5",
}


def start_worker(service_dir: Path, environ: dict[str, str], log: Path) -> subprocess.Popen:
    """`celery -A notify.celery_app worker -Q notify`, as `make dev` and containers run it."""
    command = [
        sys.executable, "-m", "celery", "-A", "notify.celery_app", "worker",
        "-Q", "notify", "--concurrency", "1", "--loglevel", "INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        cwd=service_dir,
        env={**os.environ, **environ},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the pool child dies with it
    )


def count(model) -> int:
    value = db.session.scalar(select(func.count()).select_from(model))
    db.session.rollback()
    return value


def test_a_worker_killed_mid_event_leaves_it_to_the_next_worker(
    make_app, base_environ, peers, mail_server, redis_url, service_dir, tmp_path
):
    environ = {**base_environ, **WORKER_ENVIRON}
    app = make_app(**WORKER_ENVIRON)
    peers.add_user(8, email="ada@example.com")
    order = peers.add_order(user_id=8)
    # Without the order, so that reading it is where the worker is held (and killed).
    event = order_event("order.paid", order, carried=False)
    peers.state.hold = threading.Event()  # order reads wait until released
    log = tmp_path / "worker.log"
    broker = redis.Redis.from_url(redis_url)

    first = start_worker(service_dir, environ, log)
    try:
        app.extensions["celery"].send_task("notify.handle_event", args=[event], queue="notify")
        assert peers.state.arrived.wait(timeout=30), log.read_text()
        os.killpg(first.pid, signal.SIGKILL)
    finally:
        first.wait(timeout=10)

    # Taken off the queue, not acknowledged: Redis still holds it for whoever comes next.
    assert broker.llen("notify") == 0
    assert broker.hlen("unacked") == 1
    assert mail_server.store.list() == []
    peers.state.hold.set()

    second = start_worker(service_dir, environ, log)
    try:
        with app.app_context():
            wait_for(lambda: count(Notification) == 1, timeout=40, what="the restored event")
            # Give a wrongly restored second copy every chance to show up.
            wait_for(
                lambda: broker.llen("notify") == 0 and broker.hlen("unacked") == 0,
                what="the queue to be empty",
            )
            assert count(Notification) == 1
            assert count(ProcessedEvent) == 1
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)

    [mail] = mail_server.store.list()
    assert f"notify.{event['id']}@" in mail.path.read_text()
    # The killed worker had read the order; the second read it again, and that was all.
    assert len(peers.requests_to(f"/internal/orders/{order['id']}/")) == 2


def pool_children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def test_a_pool_process_killed_mid_event_gives_the_event_back_at_once(
    make_app, base_environ, peers, mail_server, service_dir, tmp_path
):
    """The worker's main process survives and requeues the message (reject_on_worker_lost)."""
    app = make_app()
    peers.add_user(8)
    order = peers.add_order(user_id=8)
    # Without the order, so that reading it is where the worker is held (and killed).
    event = order_event("order.shipped", order, carried=False)
    peers.state.hold = threading.Event()
    log = tmp_path / "worker.log"

    worker = start_worker(service_dir, base_environ, log)
    try:
        app.extensions["celery"].send_task("notify.handle_event", args=[event], queue="notify")
        assert peers.state.arrived.wait(timeout=30), log.read_text()
        [child] = pool_children(worker.pid)
        os.kill(child, signal.SIGKILL)
        peers.state.hold.set()

        with app.app_context():
            # No visibility timeout to wait for here (it is 60 s in this test's settings).
            wait_for(lambda: count(Notification) == 1, timeout=20, what="the requeued event")
        assert worker.poll() is None
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)

    assert len(mail_server.store.list()) == 1
    assert "WorkerLostError" in log.read_text()
