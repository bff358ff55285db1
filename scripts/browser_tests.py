#!/usr/bin/env python3
"""The browser tests: the SPA in a real Chromium against the whole shop, through the gateway.

    python scripts/browser_tests.py                      start the stack, run every test, stop it
    python scripts/browser_tests.py journey -g shipped   Playwright's own filters pass through
    python scripts/browser_tests.py --base-url http://localhost:8080    against a running make dev
    python scripts/browser_tests.py --serve              only the stack, as the tests get it
    UPDATE_README_SCREENSHOT=1 python scripts/browser_tests.py    also renew the README's picture

Steps:
1. Chromium (CHROMIUM_PATH, else `chromium` on PATH, else /usr/bin/chromium) and Node are
   there; the virtualenv is synced; `npm ci` and `npm run build` run when the frontend's lock
   file or sources changed (the same rule as `make dev`).
2. The stack, started exactly as `make dev` starts it (scripts/dev.py, every service, every
   worker, the mail sink, nginx), on throwaway PostgreSQL databases and Redis (testenv: the
   servers of `make test` when it runs this, else private ones), a temporary DATA_DIR and free
   ports. Its output goes to reports/browser-stack.log.
3. Playwright (frontend/e2e/) against the gateway. Screenshots of the main pages at desktop and
   phone width land in reports/screenshots/, traces of failed tests in reports/playwright/.
4. The stack gets SIGINT, as Ctrl-C would, and must stop. The exit code is Playwright's, or 1
   when the stack would not start or stop.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bootstrap
import dev
from bootstrap import ROOT, VENV, VENV_PYTHON, say

FRONTEND = ROOT / "frontend"
REPORTS = ROOT / "reports"
SCREENSHOTS = REPORTS / "screenshots"
STACK_LOG = REPORTS / "browser-stack.log"
CHROMIUM_INSTALL = "apt-get install -y chromium"

READY_TIMEOUT_SECONDS = 240
STOP_TIMEOUT_SECONDS = 45
# A database per service on the test PostgreSQL server, and a Redis database of their own:
# the API end-to-end tests use e2e_* and 12, so both suites can share one server pair.
DATABASE_PREFIX = "browser_"
REDIS_DB = 13


class BrowserTestsError(RuntimeError):
    """Something to fix before the browser tests can run; the message says what."""


# --- what the run needs ----------------------------------------------------------------------


def find_chromium() -> str:
    """The Chromium to drive: CHROMIUM_PATH, else the one on PATH, else Debian's."""
    given = os.environ.get("CHROMIUM_PATH", "").strip()
    candidates = [given] if given else [shutil.which("chromium") or "", "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    if given:
        raise BrowserTestsError(f"CHROMIUM_PATH={given} is not an executable file.")
    raise BrowserTestsError(
        "Chromium is not installed, and the browser tests drive a real one (Playwright does not "
        f"download browsers here). On Debian/Ubuntu, as root: {CHROMIUM_INSTALL}. Elsewhere, "
        "set CHROMIUM_PATH to a Chromium or Chrome binary."
    )


def prepare_frontend() -> Path:
    """npm ci and the SPA build when stale (make dev's rule); returns Playwright's binary."""
    try:
        problem = dev.build_frontend()
    except dev.DevError as error:
        raise BrowserTestsError(str(error)) from error
    if problem:
        raise BrowserTestsError(problem)
    playwright = FRONTEND / "node_modules" / ".bin" / "playwright"
    if not playwright.exists():
        raise BrowserTestsError(
            f"{playwright} is missing: run `npm ci` in frontend/ (it is a dev dependency)."
        )
    return playwright


def in_virtualenv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


# --- the stack ---------------------------------------------------------------------------------
# testenv, psycopg2 and redis come from the virtualenv, which this file may start outside of:
# they are imported where they are used, once main() has moved into it.


@dataclass
class Stack:
    url: str
    ports: dict[str, int]
    process: subprocess.Popen[bytes]
    data_dir: Path
    ready_paths: list[str]

    def log_tail(self, lines: int = 80) -> str:
        text = STACK_LOG.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


def fresh_database(name: str) -> str:
    """An empty database on the test PostgreSQL server; returns its URL."""
    import psycopg2
    from psycopg2 import sql

    import testenv

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


def fresh_redis() -> str:
    import redis

    import testenv

    url = testenv.redis_url(REDIS_DB)
    redis.Redis.from_url(url).flushdb()
    return url


def free_ports(names: list[str]) -> dict[str, int]:
    """A free loopback port for each name, all different: each is held until all are chosen."""
    held = []
    try:
        for _ in names:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            held.append(sock)
            sock.bind(("127.0.0.1", 0))
        return {name: sock.getsockname()[1] for name, sock in zip(names, held, strict=True)}
    finally:
        for sock in held:
            sock.close()


def start_stack() -> Stack:
    """scripts/dev.py with every service, on test databases and free ports."""
    services = [service for service in dev.SERVICES if service.available]
    ports = free_ports([*dev.GATEWAY_UPSTREAM_PORTS, "gateway", *dev.MAIL_PORTS])
    env = {
        **os.environ,
        "DEV_SERVICES": ",".join(service.name for service in services),
        # Every process runs: the tests need the workers and relays too.
        "DEV_SKIP_PROCESSES": "",
        "REDIS_URL": fresh_redis(),
        # Built a moment ago by prepare_frontend(), by the same rule make dev applies.
        "SKIP_FRONTEND_BUILD": "1",
        "GATEWAY_PORT": str(ports["gateway"]),
        **{variable: str(ports[variable]) for variable in dev.MAIL_PORTS},
        **{f"{name.upper()}_PORT": str(ports[name]) for name in dev.GATEWAY_UPSTREAM_PORTS},
        **{
            f"{service.name.upper()}_DATABASE_URL": fresh_database(
                f"{DATABASE_PREFIX}{service.name}"
            )
            for service in services
        },
    }
    data_dir = Path(tempfile.mkdtemp(prefix="shop-browser-"))
    env["DATA_DIR"] = str(data_dir)
    say(f"starting the stack: {', '.join(s.name for s in services)} (log: {STACK_LOG})")
    with STACK_LOG.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "dev.py")],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: a Ctrl-C in this terminal reaches us, and we stop it.
            start_new_session=True,
        )
    return Stack(
        url=f"http://127.0.0.1:{ports['gateway']}",
        ports=ports,
        process=process,
        data_dir=data_dir,
        ready_paths=[f"{service.prefix}/readyz" for service in services],
    )


def http_get(url: str) -> tuple[int, bytes] | None:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 (our own URL)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except OSError:
        return None


def wait_until_ready(stack: Stack) -> None:
    """Every service ready through the gateway, and the gateway serving the built SPA."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    pending = list(stack.ready_paths)
    while pending:
        if stack.process.poll() is not None:
            raise BrowserTestsError(
                f"the stack exited with {stack.process.returncode} while starting:\n"
                f"{stack.log_tail()}"
            )
        if time.monotonic() > deadline:
            raise BrowserTestsError(
                f"not ready after {READY_TIMEOUT_SECONDS}s: {', '.join(pending)}\n"
                f"{stack.log_tail()}"
            )
        answer = http_get(stack.url + pending[0])
        if answer and answer[0] == 200:
            pending.pop(0)
        else:
            time.sleep(0.5)
    answer = http_get(stack.url + "/")
    built = (FRONTEND / "dist" / "index.html").read_bytes()
    if not answer or answer[1] != built:
        raise BrowserTestsError("the gateway does not serve frontend/dist/index.html at /")


def stop_stack(stack: Stack) -> list[str]:
    """SIGINT as Ctrl-C would; returns what still runs afterwards."""
    if stack.process.poll() is None:
        stack.process.send_signal(signal.SIGINT)
        try:
            stack.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(stack.process.pid, signal.SIGKILL)
            stack.process.wait()
            return [f"the stack (killed: SIGINT did not stop it in {STOP_TIMEOUT_SECONDS}s)"]
    deadline = time.monotonic() + 10
    while True:
        still = [
            f"{name} on port {port}" for name, port in stack.ports.items() if dev.port_in_use(port)
        ]
        if not still or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    shutil.rmtree(stack.data_dir, ignore_errors=True)
    return still


# --- the tests ---------------------------------------------------------------------------------


def run_playwright(
    playwright: Path, base_url: str, chromium: str, junitxml: Path | None, extra: list[str]
) -> int:
    env = {
        **os.environ,
        "SHOP_BASE_URL": base_url,
        "CHROMIUM_PATH": chromium,
        "SCREENSHOT_DIR": str(SCREENSHOTS),
        "BROWSER_REPORTS_DIR": str(REPORTS),
    }
    if junitxml:
        env["BROWSER_JUNIT_FILE"] = str(junitxml.resolve())
    command = [str(playwright), "test", *extra]
    say(f"{' '.join(['playwright', 'test', *extra])} against {base_url}")
    return subprocess.run(command, cwd=FRONTEND, env=env, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Other arguments go to `playwright test` (test files, -g PATTERN, --headed, ...).",
    )
    parser.add_argument("--base-url", help="test a shop that runs already; start no stack")
    parser.add_argument("--junitxml", type=Path, help="also write a JUnit XML report here")
    parser.add_argument(
        "--serve",
        action="store_true",
        help="start the stack, print its address and keep it until Ctrl-C (to write tests: "
        "SHOP_BASE_URL=<address> npx playwright test in frontend/)",
    )
    args, extra = parser.parse_known_args()

    started = time.monotonic()
    chromium = find_chromium()
    if not in_virtualenv():
        # The stack's test databases need the virtualenv's testenv and psycopg2.
        say("syncing the virtualenv (uv sync --frozen)")
        bootstrap.sync()
        this = str(Path(__file__).resolve())
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), this, *sys.argv[1:]])  # noqa: S606 (our own)
    playwright = prepare_frontend()

    REPORTS.mkdir(exist_ok=True)
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    if args.base_url:
        returncode = run_playwright(playwright, args.base_url, chromium, args.junitxml, extra)
        say(f"browser tests took {time.monotonic() - started:.0f}s")
        return returncode

    stack = start_stack()
    ready = started
    returncode = 1
    try:
        wait_until_ready(stack)
        ready = time.monotonic()
        say(f"the stack is ready at {stack.url} ({ready - started:.0f}s)")
        if args.serve:
            say("serving until Ctrl-C")
            return stack.process.wait()
        returncode = run_playwright(playwright, stack.url, chromium, args.junitxml, extra)
    finally:
        still = stop_stack(stack)
        finished = time.monotonic()
        if still:
            print(f"still running after the stack was stopped: {', '.join(still)}", file=sys.stderr)
            returncode = returncode or 1
        if returncode and not args.serve:
            print(f"\nthe stack's last lines ({STACK_LOG}):\n{stack.log_tail(40)}", file=sys.stderr)
        if not args.serve:
            say(
                f"browser tests took {finished - started:.0f}s: start {ready - started:.0f}s, "
                f"tests and stop {finished - ready:.0f}s; screenshots in {SCREENSHOTS}"
            )
    return returncode


if __name__ == "__main__":
    # Ctrl-C and SIGTERM (a CI timeout, a process manager) unwind, so the stack is stopped; even
    # when started in the background, where a shell would have SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        sys.exit(main())
    except (BrowserTestsError, bootstrap.BootstrapError) as error:
        print(f"browser tests: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
