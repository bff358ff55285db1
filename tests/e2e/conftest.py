"""The stack, started exactly as `make dev` starts it, but on PostgreSQL.

One session-wide stack: scripts/dev.py (the program behind `make dev`) with the run's throwaway
PostgreSQL (a database per service) and Redis from testenv, a temporary DATA_DIR and free ports
for every process, the gateway's included. Tests talk to the gateway only. At the end the stack
gets SIGINT, like Ctrl-C, and must leave no process behind; when a test failed, the processes'
output is printed after the test report.
"""

import itertools
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
import redis
import requests
from psycopg2 import sql
from requests.adapters import HTTPAdapter

import testenv
from testenv.ports import free_port

ROOT = Path(__file__).resolve().parents[2]

# The services these tests run. Every other service of the gateway is deliberately absent, so
# its routes show what a client sees when a service is down.
STACK_SERVICES = ("auth", "catalog")
ALL_SERVICES = {"auth": "/api/auth/", "catalog": "/api/catalog/", "orders": "/api/orders/"}
ALL_SERVICES["notify"] = "/api/notifications/"
ABSENT_PREFIXES = tuple(
    prefix for name, prefix in ALL_SERVICES.items() if name not in STACK_SERVICES
)

READY_TIMEOUT_SECONDS = 300
STOP_TIMEOUT_SECONDS = 45

DEMO_CUSTOMER = ("customer@shop.example", "Meadow-Compass-17")


@dataclass
class Stack:
    url: str
    ports: dict[str, int]
    log_path: Path
    process: subprocess.Popen

    def logs(self, lines: int = 300) -> str:
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


_stack_for_report: Stack | None = None


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


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


def _wait_until_ready(stack: Stack) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    pending = [f"{ALL_SERVICES[name]}readyz" for name in STACK_SERVICES]
    while pending:
        if stack.process.poll() is not None:
            pytest.fail(f"the stack exited with {stack.process.returncode}:\n{stack.logs()}")
        if time.monotonic() > deadline:
            pytest.fail(f"not ready after {READY_TIMEOUT_SECONDS}s: {pending}\n{stack.logs()}")
        try:
            if requests.get(stack.url + pending[0], timeout=2).status_code == 200:
                pending.pop(0)
                continue
        except requests.ConnectionError:
            pass
        time.sleep(0.5)


def _stop(stack: Stack) -> list[str]:
    """SIGINT as Ctrl-C would; returns what is still running afterwards."""
    if stack.process.poll() is None:
        stack.process.send_signal(signal.SIGINT)
        try:
            stack.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(stack.process.pid, signal.SIGKILL)
            stack.process.wait()
            return ["the runner itself (killed after SIGINT did not stop it)"]
    deadline = time.monotonic() + 10
    while True:
        still = [f"{name} on port {port}" for name, port in stack.ports.items() if _port_open(port)]
        if not still or time.monotonic() > deadline:
            return still
        time.sleep(0.2)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    global _stack_for_report
    data_dir = tmp_path_factory.mktemp("stack")
    ports = {name: free_port() for name in ALL_SERVICES}
    ports["gateway"] = free_port()
    redis_url = testenv.redis_url(12)
    redis.Redis.from_url(redis_url).flushdb()
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DEV_SERVICES": ",".join(STACK_SERVICES),
        "REDIS_URL": redis_url,
        # The SPA's build is not under test here: frontend/dist when present, else the placeholder.
        "SKIP_FRONTEND_BUILD": "1",
        "GATEWAY_PORT": str(ports["gateway"]),
        **{
            f"{name.upper()}_PORT": str(port)
            for name, port in ports.items()
            if name in ALL_SERVICES
        },
        **{
            f"{name.upper()}_DATABASE_URL": _fresh_database(f"e2e_{name}")
            for name in STACK_SERVICES
        },
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
    running = Stack(
        url=f"http://127.0.0.1:{ports['gateway']}", ports=ports, log_path=log_path, process=process
    )
    _stack_for_report = running
    try:
        _wait_until_ready(running)
        yield running
    finally:
        left = _stop(running)
    assert running.process.returncode in (0, 130, -signal.SIGINT), running.logs()
    assert not left, f"still running after Ctrl-C: {left}\n{running.logs()}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int) -> None:
    if exitstatus != 0 and _stack_for_report is not None:
        terminalreporter.section("output of the stack (last 300 lines)")
        terminalreporter.write_line(_stack_for_report.logs())


# --- clients ------------------------------------------------------------------------------------


class _SourceAddressAdapter(HTTPAdapter):
    def __init__(self, address: str) -> None:
        self._address = address
        super().__init__()

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        kwargs["source_address"] = (self._address, 0)
        super().init_poolmanager(*args, **kwargs)


class Client(requests.Session):
    """A browser-like client of the gateway, from its own loopback address.

    Rate limits are per client address, so each simulated person gets an address of its own
    (127.0.0.0/8 is all loopback on Linux): one test's burst never throttles another's.
    """

    def __init__(self, base_url: str, address: str) -> None:
        super().__init__()
        self.base_url = base_url
        self.address = address
        adapter = _SourceAddressAdapter(address)
        self.mount("http://", adapter)

    def request(self, method: str, url: str, *args: object, **kwargs: object) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return super().request(method, self.base_url + url, *args, **kwargs)


_addresses = (
    f"127.0.{third}.{fourth}" for third, fourth in itertools.product(range(1, 250), range(2, 250))
)


@pytest.fixture
def new_client(stack: Stack) -> Iterator[Callable[[], Client]]:
    made: list[Client] = []

    def make() -> Client:
        client = Client(stack.url, next(_addresses))
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(new_client: Callable[[], Client]) -> Client:
    return new_client()


@dataclass
class Customer:
    client: Client
    email: str
    password: str
    access_token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


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
        return Customer(client, email, password, response.json()["access_token"])

    return make
