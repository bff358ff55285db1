"""The whole shop, started exactly as `make dev` starts it, but on PostgreSQL.

One session-wide stack: scripts/dev.py (the program behind `make dev`) with a database per
service on the run's throwaway PostgreSQL, a Redis of its own (a `testenv.RedisServer`, so a
test can restart it without touching the run's shared one), a temporary DATA_DIR and free ports
for every process, the gateway's and the mail sink's included. The services' own settings
(E2E_SETTINGS) shorten retries, redeliveries and expiries to seconds.

Honcho stops the whole stack when one of its processes exits. That is what a developer wants,
and what a test that stops or kills a process must avoid. So the processes the tests stop, kill
or pause (the catalog API, the two event consumers, the orders relay and the mail sink) are
left out of honcho with DEV_SKIP_PROCESSES and run here, from their Procfile lines, unchanged,
as `ManagedProcess`es. Everything else runs under honcho as in `make dev`.

Tests talk to the gateway and read outcomes where people would: the mail sink's JSON API, the
order and notification APIs, the catalog's stock through the admin API as the demo admin. Only
the fault tests also look at the broker and the databases, to know when the system is quiet
and which envelope to deliver twice. At the end the managed processes get SIGTERM and the
stack SIGINT, like Ctrl-C, and no process may be left behind; when a test failed, the
processes' output is printed after the test report.
"""

import base64
import contextlib
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import redis
import requests
from psycopg2 import sql
from support import Admin, Client, Customer, Mailbox, wait_for

import testenv
from testenv.ports import free_ports

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import dev  # noqa: E402 (scripts/dev.py: the Procfile reader, the same one make dev uses)

SERVICES = {
    "auth": "/api/auth/",
    "catalog": "/api/catalog/",
    "orders": "/api/orders/",
    "notify": "/api/notifications/",
}
DIRECTORIES = {"auth": "auth-flask", "catalog": "catalog-django"}
DIRECTORIES |= {"orders": "orders-django", "notify": "notify-flask"}

# Run by the tests instead of honcho, so that they can be stopped, killed and restarted.
MANAGED_PROCESSES = ("catalog", "catalog-worker", "orders-relay", "notify-worker", "mail")

# Short timings, through the settings each service documents in its README.
E2E_SETTINGS = {
    # orders-django: a checkout left in pending_payment (its process died) is cancelled by the
    # periodic job after 12 s, which releases its reservation. The provider-unavailable card
    # keeps a checkout in pending_payment for 1.5 s + 3 s: long enough to catch it there, and
    # well below the 12 s, so a slow machine's live checkout is never taken for a stale one.
    "ORDERS_PENDING_TTL_SECONDS": "12",
    "PERIODIC_INTERVAL_SECONDS": "1",
    "PAYMENT_MAX_ATTEMPTS": "3",
    "PAYMENT_RETRY_DELAY_MS": "1500",
    # The relays of auth-flask and orders-django: back off at most 1 s while Redis is down.
    "OUTBOX_BACKOFF_MAX_SECONDS": "1",
    # notify-flask: 4 tries within about 2 s, then a dead letter; a message of a killed worker
    # is handed out again after 8 s (more than the longest retry wait plus the time limit).
    "NOTIFY_MAX_RETRIES": "3",
    "NOTIFY_RETRY_BACKOFF_BASE": "0.2",
    "NOTIFY_RETRY_BACKOFF_MAX": "1",
    "NOTIFY_TASK_TIME_LIMIT": "6",
    "NOTIFY_VISIBILITY_TIMEOUT": "8",
    "NOTIFY_UNACKED_RESTORE_INTERVAL": "1",
    "SMTP_TIMEOUT_SECONDS": "3",
    "HTTP_TIMEOUT_SECONDS": "3",
    # catalog-django: the same for its consumer, and the expiry sweep every 2 s.
    "CATALOG_EVENT_MAX_ATTEMPTS": "4",
    "CATALOG_EVENT_RETRY_BACKOFF_BASE": "0.2",
    "CATALOG_EVENT_RETRY_BACKOFF_MAX": "1",
    "CELERY_TASK_TIME_LIMIT": "6",
    "CELERY_VISIBILITY_TIMEOUT": "8",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CATALOG_RESERVATION_SWEEP_SECONDS": "2",
}

READY_TIMEOUT_SECONDS = 300
STOP_TIMEOUT_SECONDS = 45


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def http_ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


class ManagedProcess:
    """One Procfile process, run by the tests with its Procfile line instead of by honcho."""

    def __init__(
        self,
        name: str,
        command: str,
        env: dict[str, str],
        log_path: Path,
        ready: Callable[[], bool] | None = None,
    ) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.log_path = log_path
        self.ready = ready
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, *, wait: bool = True) -> None:
        assert not self.running, f"{self.name} is running already"
        with self.log_path.open("a") as log:
            log.write(f"--- {self.name}: {self.command}\n")
            log.flush()
            # Its own process group: a signal reaches the process and any children (a Celery
            # worker's pool, gunicorn's workers), as a container runtime's would.
            self.process = subprocess.Popen(
                ["/bin/sh", "-c", self.command],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if wait and self.ready is not None:
            wait_for(
                lambda: self.ready() or not self.running,
                timeout=60,
                what=f"{self.name} to be ready",
            )
            assert self.running, f"{self.name} exited at start:\n{self.logs()}"

    def send(self, signum: int) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def kill(self) -> None:
        """SIGKILL to the process and its children: no cleanup, no acknowledgements."""
        self.send(signal.SIGKILL)
        assert self.process is not None
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, as an orchestrator stops a container; SIGKILL if it does not end."""
        if not self.running:
            return
        self.send(signal.SIGCONT)  # a paused process cannot act on SIGTERM
        self.send(signal.SIGTERM)
        assert self.process is not None
        try:
            self.process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            self.kill()

    def pause(self) -> None:
        self.send(signal.SIGSTOP)

    def resume(self) -> None:
        self.send(signal.SIGCONT)

    def logs(self, lines: int = 200) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Stack:
    url: str
    ports: dict[str, int]
    data_dir: Path
    log_path: Path
    process: subprocess.Popen
    redis_server: testenv.RedisServer
    databases: dict[str, str]
    command_env: dict[str, str]
    managed: dict[str, ManagedProcess] = field(default_factory=dict)

    @property
    def mail_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['mail_http']}"

    @property
    def broker(self) -> redis.Redis:
        return redis.Redis.from_url(self.redis_server.url, socket_timeout=5)

    def output(self) -> str:
        """Everything the processes wrote so far: honcho's and the managed processes' logs."""
        paths = [self.log_path, *(process.log_path for process in self.managed.values())]
        return "\n".join(path.read_text(errors="replace") for path in paths if path.exists())

    def logs(self, lines: int = 300) -> str:
        text = self.log_path.read_text(errors="replace").splitlines()
        parts = ["\n".join(text[-lines:])]
        for process in self.managed.values():
            parts.append(f"--- managed process {process.name} (last 100 lines)")
            parts.append(process.logs(100))
        return "\n".join(parts)

    # --- commands and data, as an operator has them ---

    def run(self, service: str, *command: str) -> subprocess.CompletedProcess[str]:
        """A command in a service's directory with its settings (scripts/with_env.py)."""
        return subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "with_env.py"), DIRECTORIES[service], *command],
            cwd=ROOT,
            env=self.command_env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def query(self, service: str, statement: str, *params: Any) -> list[tuple]:
        connection = psycopg2.connect(self.databases[service])
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchall()
        finally:
            connection.close()

    # --- the event pipeline ---

    def queue_depth(self, queue: str) -> int:
        """Messages waiting in a consumer's Redis list (kombu keeps one per priority step)."""
        broker = self.broker
        names = [queue, *(f"{queue}\x06\x16{step}" for step in (3, 6, 9))]
        return sum(broker.llen(name) for name in names)

    def unacked(self) -> list[bytes]:
        """Messages handed to a worker and not acknowledged yet (kombu's `unacked` hash)."""
        return list(self.broker.hvals("unacked"))

    def broker_event_ids(self, queue: str) -> set[str]:
        """The ids of the events Redis holds for a consumer: waiting in its queue, or handed to
        a worker and not acknowledged (kombu's `unacked` hash: [message, exchange, routing
        key]). A message's body (base64) is the task's [args, kwargs, embed], args [envelope]."""
        broker = self.broker
        messages = [json.loads(raw) for raw in broker.lrange(queue, 0, -1)]
        messages += [
            message
            for message, _exchange, routing_key in map(json.loads, self.unacked())
            if routing_key == queue
        ]
        ids = set()
        for message in messages:
            body = message["body"]
            if message.get("properties", {}).get("body_encoding") == "base64":
                body = base64.b64decode(body)
            args = json.loads(body)[0]
            if args and isinstance(args[0], dict) and "id" in args[0]:
                ids.add(args[0]["id"])
        return ids

    def is_quiet(self) -> bool:
        """No event waits in an outbox, a queue or a worker."""
        unpublished = self.query(
            "orders", "SELECT count(*) FROM orders_outboxevent WHERE published_at IS NULL"
        )[0][0]
        unpublished += self.query(
            "auth", "SELECT count(*) FROM outbox_events WHERE published_at IS NULL"
        )[0][0]
        return (
            unpublished == 0
            and self.queue_depth("notify") == 0
            and self.queue_depth("catalog") == 0
            and not self.unacked()
        )

    def wait_until_quiet(self, timeout: float = 45) -> None:
        wait_for(self.is_quiet, timeout=timeout, what="every event to be handled")

    # --- processes ---

    @contextlib.contextmanager
    def stopped(self, name: str) -> Iterator[ManagedProcess]:
        """The process stopped for the duration of the block, then started again."""
        process = self.managed[name]
        process.stop()
        try:
            yield process
        finally:
            process.start()

    def pids_listening(self, port: int) -> set[int]:
        """Every process holding the listening socket of `port` (a gunicorn master and its
        workers), found through /proc as `ss -ltnp` would."""
        inodes = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with contextlib.suppress(FileNotFoundError), open(table) as handle:
                for line in list(handle)[1:]:
                    columns = line.split()
                    local, state, inode = columns[1], columns[3], columns[9]
                    if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                        inodes.add(f"socket:[{inode}]")
        pids = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdecimal():
                continue
            with contextlib.suppress(OSError):
                if any(os.readlink(fd) in inodes for fd in (entry / "fd").iterdir()):
                    pids.add(int(entry.name))
        return pids

    def gunicorn_workers(self, service: str) -> set[int]:
        """The worker processes of a service's gunicorn: children of the master, which holds
        the same listening socket."""
        pids = self.pids_listening(self.ports[service])
        workers = set()
        for pid in pids:
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{pid}/stat").read_text()
                parent = int(stat.rsplit(")", 1)[1].split()[1])
                if parent in pids:
                    workers.add(pid)
        return workers


_stack_for_report: Stack | None = None


def _fresh_database(name: str) -> str:
    """An empty database on the run's PostgreSQL server; returns its URL."""
    url = testenv.postgres_url(name)
    admin = psycopg2.connect(testenv.postgres_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()
    return url


def _wait_for_line(stack: Stack, text: str) -> None:
    def seen() -> bool:
        if stack.process.poll() is not None:
            pytest.fail(f"the stack exited with {stack.process.returncode}:\n{stack.logs()}")
        return text in stack.log_path.read_text(errors="replace")

    try:
        wait_for(seen, timeout=READY_TIMEOUT_SECONDS, what=f"{text!r} in the output", interval=0.3)
    except AssertionError as error:
        pytest.fail(f"{error}\n{stack.logs()}")


def _wait_until_ready(stack: Stack) -> None:
    pending = [f"{stack.url}{prefix}readyz" for prefix in SERVICES.values()]

    def ready() -> bool:
        if stack.process.poll() is not None:
            pytest.fail(f"the stack exited with {stack.process.returncode}:\n{stack.logs()}")
        while pending and http_ok(pending[0]):
            pending.pop(0)
        return not pending

    try:
        wait_for(ready, timeout=READY_TIMEOUT_SECONDS, what="every service", interval=0.5)
    except AssertionError as error:
        pytest.fail(f"{error}: {pending}\n{stack.logs()}")


def _stop(stack: Stack) -> list[str]:
    """SIGTERM to the managed processes, SIGINT to the stack as Ctrl-C would; returns what is
    still running afterwards."""
    # All at once, as Ctrl-C reaches every process of a terminal; then wait for each.
    for process in stack.managed.values():
        if process.running:
            process.send(signal.SIGCONT)
            process.send(signal.SIGTERM)
    if stack.process.poll() is None:
        stack.process.send_signal(signal.SIGINT)
    for process in stack.managed.values():
        process.stop()
    if stack.process.poll() is None:
        try:
            stack.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(stack.process.pid, signal.SIGKILL)
            stack.process.wait()
            return ["the runner itself (killed after SIGINT did not stop it)"]
    deadline = time.monotonic() + 10
    while True:
        still = [f"{name} on port {port}" for name, port in stack.ports.items() if port_open(port)]
        if not still or time.monotonic() > deadline:
            return still
        time.sleep(0.2)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    global _stack_for_report
    data_dir = tmp_path_factory.mktemp("stack")
    # Chosen together, so no two processes are handed the same port.
    ports = free_ports([*SERVICES, "gateway", "mail_smtp", "mail_http"])
    redis_server = testenv.RedisServer().start()
    databases = {name: _fresh_database(f"e2e_{name}") for name in SERVICES}
    env = {
        **os.environ,
        **E2E_SETTINGS,
        "DATA_DIR": str(data_dir),
        "DEV_SERVICES": ",".join(SERVICES),
        "DEV_SKIP_PROCESSES": ",".join(MANAGED_PROCESSES),
        "REDIS_URL": redis_server.url,
        # The SPA's build is not under test here: frontend/dist when present, else the placeholder.
        "SKIP_FRONTEND_BUILD": "1",
        "GATEWAY_PORT": str(ports["gateway"]),
        "MAIL_SMTP_PORT": str(ports["mail_smtp"]),
        "MAIL_HTTP_PORT": str(ports["mail_http"]),
        **{f"{name.upper()}_PORT": str(ports[name]) for name in SERVICES},
        **{f"{name.upper()}_DATABASE_URL": url for name, url in databases.items()},
    }
    log_path = data_dir / "stack.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "dev.py")],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    # What honcho gives each process (scripts/dev.py), for the processes run here.
    command_env = {
        **env,
        "PATH": os.pathsep.join([str(ROOT / ".venv" / "bin"), env.get("PATH", os.defpath)]),
        "SHOP_ENV_DIR": str(data_dir / "env"),
        "PYTHONUNBUFFERED": "1",
    }
    running = Stack(
        url=f"http://127.0.0.1:{ports['gateway']}",
        ports=ports,
        data_dir=data_dir,
        log_path=log_path,
        process=process,
        redis_server=redis_server,
        databases=databases,
        command_env=command_env,
    )
    commands = dev.procfile_commands()
    readiness: dict[str, Callable[[], bool]] = {
        "catalog": lambda: http_ok(f"http://127.0.0.1:{ports['catalog']}/readyz"),
        "mail": lambda: http_ok(f"{running.mail_url}/api/v1/messages"),
    }
    running.managed = {
        name: ManagedProcess(
            name, commands[name], command_env, data_dir / f"{name}.log", readiness.get(name)
        )
        for name in MANAGED_PROCESSES
    }
    _stack_for_report = running
    try:
        # Once dev.py hands over to honcho, setup is done: the skipped processes may start.
        _wait_for_line(running, "==> starting ")
        for managed in running.managed.values():
            managed.start()
        _wait_until_ready(running)
        yield running
    finally:
        left = _stop(running)
        redis_server.remove()
    assert running.process.returncode in (0, 130, -signal.SIGINT), running.logs()
    assert not left, f"still running after Ctrl-C: {left}\n{running.logs()}"


def pytest_configure(config: pytest.Config) -> None:
    # The slowest tests in every report: this suite has to stay quick to be run often.
    if config.option.durations is None:
        config.option.durations = 8


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int) -> None:
    if exitstatus != 0 and _stack_for_report is not None:
        terminalreporter.section("output of the stack (last 300 lines)")
        terminalreporter.write_line(_stack_for_report.logs())


@pytest.fixture(autouse=True)
def _managed_processes_alive(request: pytest.FixtureRequest) -> None:
    """Each test starts with every managed process running (tests restart what they stop); one
    that died on its own fails the test that follows, and is started again for the rest."""
    if "stack" not in request.fixturenames:
        return
    stack: Stack = request.getfixturevalue("stack")
    dead = [process for process in stack.managed.values() if not process.running]
    for process in dead:
        process.start()
    if dead:
        logs = "\n".join(f"--- {p.name}:\n{p.logs(60)}" for p in dead)
        pytest.fail(f"exited on their own: {', '.join(p.name for p in dead)}\n{logs}")


# --- clients ------------------------------------------------------------------------------------


_addresses = (
    f"127.0.{third}.{fourth}" for third, fourth in itertools.product(range(1, 250), range(2, 250))
)
_addresses_lock = threading.Lock()  # customers are registered from several threads at once


def next_address() -> str:
    with _addresses_lock:
        return next(_addresses)


@pytest.fixture
def new_client(stack: Stack) -> Iterator[Callable[[], Client]]:
    made: list[Client] = []

    def make() -> Client:
        client = Client(stack.url, next_address())
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(new_client: Callable[[], Client]) -> Client:
    return new_client()


@pytest.fixture
def register(new_client: Callable[[], Client]) -> Callable[[], Customer]:
    """Registers a new customer through the gateway, from a new address."""

    def make() -> Customer:
        client = new_client()
        email = f"e2e-{uuid.uuid4().hex[:12]}@example.com"
        password = f"Lantern-{uuid.uuid4().hex[:10]}"
        response = client.post(
            "/api/auth/register", json={"email": email, "password": password, "name": "E2E Ada"}
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return Customer(client, email, password, body["access_token"], body["user"]["id"])

    return make


@pytest.fixture(scope="session")
def admin(stack: Stack) -> Iterator[Admin]:
    client = Client(stack.url, next_address())
    yield Admin(client)
    client.close()


@pytest.fixture(scope="session")
def mailbox(stack: Stack) -> Mailbox:
    return Mailbox(stack.mail_url)


@pytest.fixture(scope="session")
def _product_ids(admin: Admin) -> Iterator[int]:
    """Active products of the demo catalog, each handed to one test only."""
    response = admin.client.get(
        "/api/catalog/admin/products/", params={"page_size": 100, "page": 2}, headers=admin.auth
    )
    assert response.status_code == 200, response.text
    return iter([product["id"] for product in response.json()["results"] if product["is_active"]])


@pytest.fixture
def fresh_product(admin: Admin, _product_ids: Iterator[int]) -> Callable[[int], int]:
    """A product no other test touches, with `on_hand` units free to sell; returns its id."""

    def make(on_hand: int) -> int:
        product_id = next(_product_ids)
        admin.set_stock(product_id, on_hand)
        return product_id

    return make
