"""A throwaway shop, started exactly as `make dev` starts it, on PostgreSQL.

scripts/dev.py (the program behind `make dev`) runs with a database per service on a throwaway
PostgreSQL server, a throwaway Redis, a temporary DATA_DIR and free ports for every process,
and the limits that a load test must raise (LOAD_TEST_SETTINGS). The PostgreSQL server is the
one `python -m testenv run` exports as TEST_POSTGRES_URL (inside `make test`), else a private
one started here. Stopping the stack is Ctrl-C for dev.py, like a developer's.

Standard library and testenv only: scripts/loadtest.py and scripts/bench.py use it before
anything is monkey-patched by Locust.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import testenv
from shopload.settings import LOAD_TEST_SETTINGS
from testenv.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {
    "auth": "/api/auth/",
    "catalog": "/api/catalog/",
    "orders": "/api/orders/",
    "notify": "/api/notifications/",
}
READY_TIMEOUT_SECONDS = 180
STOP_TIMEOUT_SECONDS = 30


class StackError(RuntimeError):
    """The stack did not come up; the message carries the end of its output."""


def http_status(url: str, timeout: float = 2.0) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (our URL)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@dataclass
class LocalStack:
    """scripts/dev.py on throwaway servers; `start()` returns once every service is ready."""

    settings: dict[str, str] = field(default_factory=dict)
    database_prefix: str = "loadtest"
    keep_data: bool = False
    data_dir: Path = field(init=False)
    ports: dict[str, int] = field(init=False)
    process: subprocess.Popen | None = field(init=False, default=None)
    redis: testenv.RedisServer | None = field(init=False, default=None)
    postgres: testenv.PostgresServer | None = field(init=False, default=None)
    database_urls: dict[str, str] = field(init=False, default_factory=dict)
    started_seconds: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self.data_dir = Path(tempfile.mkdtemp(prefix="shop-loadtest-"))
        self.ports = {name: free_port() for name in SERVICES}
        self.ports |= {"gateway": free_port(), "mail_smtp": free_port(), "mail_http": free_port()}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "stack.log"

    def logs(self, lines: int = 80) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    # --- servers --------------------------------------------------------------------------

    def _postgres_admin_url(self) -> str:
        if os.environ.get("TEST_POSTGRES_URL"):
            return testenv.postgres_url("postgres")
        if self.postgres is None:
            self.postgres = testenv.PostgresServer().start()
        return self.postgres.url

    def _fresh_databases(self) -> None:
        """An empty database per service, made with psql so nothing else needs installing."""
        admin_url = self._postgres_admin_url()
        psql = shutil.which("psql") or testenv.require_binary("psql", debian_package="postgresql")
        for name in SERVICES:
            database = f"{self.database_prefix}_{name}"
            for statement in (
                f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
                f'CREATE DATABASE "{database}"',
            ):
                subprocess.run(
                    [psql, admin_url, "-v", "ON_ERROR_STOP=1", "-q", "-c", statement],
                    check=True,
                    capture_output=True,
                )
            base = admin_url.rsplit("/", 1)[0]
            self.database_urls[name] = f"{base}/{database}"

    # --- the stack ------------------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            **LOAD_TEST_SETTINGS,
            **self.settings,
            "DATA_DIR": str(self.data_dir),
            "REDIS_URL": self.redis.url if self.redis else "",
            "SKIP_FRONTEND_BUILD": "1",
            "GATEWAY_PORT": str(self.ports["gateway"]),
            "MAIL_SMTP_PORT": str(self.ports["mail_smtp"]),
            "MAIL_HTTP_PORT": str(self.ports["mail_http"]),
            **{f"{name.upper()}_PORT": str(self.ports[name]) for name in SERVICES},
            **{f"{name.upper()}_DATABASE_URL": url for name, url in self.database_urls.items()},
        }

    def prepare(self) -> None:
        """The servers and empty databases; not counted in the start-up time."""
        if self.redis is None:
            self.redis = testenv.RedisServer().start()
        if not self.database_urls:
            self._fresh_databases()

    def start(self) -> "LocalStack":
        self.prepare()
        started = time.monotonic()
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(ROOT / "scripts" / "dev.py")],
                cwd=ROOT,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_ready()
        self.started_seconds = time.monotonic() - started
        return self

    def _wait_until_ready(self) -> None:
        pending = [f"{self.url}{prefix}readyz" for prefix in SERVICES.values()]
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while pending:
            if self.process is None or self.process.poll() is not None:
                raise StackError(f"scripts/dev.py exited before the shop was ready:\n{self.logs()}")
            if time.monotonic() > deadline:
                raise StackError(
                    f"not ready after {READY_TIMEOUT_SECONDS}s: {pending}\n{self.logs()}"
                )
            while pending and http_status(pending[0]) == 200:
                pending.pop(0)
            time.sleep(0.2)

    def pids(self) -> list[int]:
        """Every process of the stack: dev.py, honcho and everything under it, and Redis."""
        if self.process is None:
            return []
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdecimal():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    stat = (entry / "stat").read_text()
                    parent = int(stat.rsplit(")", 1)[1].split()[1])
                    children.setdefault(parent, []).append(int(entry.name))
        found, queue = [], [self.process.pid]
        while queue:
            pid = queue.pop()
            found.append(pid)
            queue.extend(children.get(pid, []))
        if self.redis and self.redis.process:
            found.append(self.redis.process.pid)
        return found

    def stop(self) -> None:
        """Ctrl-C for dev.py (honcho stops every process), then the servers."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def remove(self) -> None:
        self.stop()
        if self.redis is not None:
            self.redis.remove()
            self.redis = None
        if self.postgres is not None:
            self.postgres.remove()
            self.postgres = None
        if not self.keep_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> "LocalStack":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.remove()
