#!/usr/bin/env python3
"""`make bench`: the shop's speed on this machine, each figure next to a floor from the same run.

    scripts/bench.py                         everything (about 10 minutes), table printed
    scripts/bench.py --only http,checkout    some sections: start, http, checkout, mix
    scripts/bench.py --update-doc            also write the table into docs/performance.md
    scripts/bench.py --env GUNICORN_WORKERS=4 --env GUNICORN_THREADS=2   try a worker model

It starts its own shop exactly as `make dev` does (scripts/dev.py), on throwaway PostgreSQL and
Redis with the load-test limits (loadtests/shopload/stack.py), and a plain nginx serving a static
JSON file as large as a catalogue page. The load generator runs on the same machine:

- HTTP rates: wrk (Debian: apt-get install -y wrk), 2 threads, --connections open connections,
  --seconds per figure. One round measures every figure once, in a fixed order, and the ratios
  are taken within the round, so a busy neighbour slows figure and baseline alike; the table
  shows the median of --rounds rounds.
- Checkout: Locust (loadtests/checkout_bench.py), --checkout-users customers buying without
  pause for --checkout-seconds; orders/s and latency percentiles per round, then the stock
  check: units sold during the round = orders paid, and on_hand + reserved + sold unchanged
  for every product. Event latency: each order's created_at to the created_at of its
  `order.placed` notification, for every order of the round.
- The Locust mix (loadtests/locustfile.py) at --mix-users users, checked against its SLOs.
- Footprint: resident memory (RSS, and PSS, which counts pages shared by forked workers once)
  of every process of the stack, idle and sampled every second under load; time from starting
  scripts/dev.py to every service ready through the gateway, first start and restarts.

Results go to reports/bench/<time>/ (results.json, table.md, Locust's CSV files and reports).
"""

import argparse
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bootstrap
from bootstrap import ROOT, VENV_BIN, VENV_PYTHON, say

LOADTESTS = ROOT / "loadtests"
REPORTS = ROOT / "reports" / "bench"
DOC = ROOT / "docs" / "performance.md"
DOC_BEGIN = "<!-- bench table: begin (scripts/bench.py --update-doc writes it) -->"
DOC_END = "<!-- bench table: end -->"
SECTIONS = ("start", "http", "checkout", "mix")
HTTP_FIGURES = (
    "static", "healthz", "list", "list_gzip", "detail", "search", "list_bypass",
    "detail_bypass", "search_bypass",
)  # fmt: skip
# The catalogue page the SPA's shop page asks for (frontend: page first, defaults left out).
LIST_PATH = "/api/catalog/products/?page=1"
# A cookie makes the gateway skip its cache (any cookie might mean a session); the catalog
# ignores it, so this is the request an anonymous reader makes, answered by Django each time.
BYPASS = ("Cookie: bench=1",)
# What browsers send: the gateway then compresses the cached page on every answer.
GZIP = ("Accept-Encoding: gzip",)
STOCK_LEVEL = 1_000_000
SETTLE_TIMEOUT_SECONDS = 180


class BenchError(RuntimeError):
    """The benchmark cannot go on; the message says why."""


def in_virtualenv() -> bool:
    return Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Rate:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int = 0
    cpu_ms_per_request: float = float("nan")  # CPU time the serving processes spent, each
    cpu_ms_by_process: dict[str, float] = field(default_factory=dict)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, *, seconds: int, connections: int, headers: tuple[str, ...] = ()) -> Rate:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    result = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    out = result.stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if result.returncode != 0 or not found:
        raise BenchError(f"`{' '.join(command)} {url}` failed:\n{out}{result.stderr}")
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s|m|h))\s*$", out, re.MULTILINE))
    if set(percentiles) != {"50", "99"}:
        raise BenchError(f"no latency percentiles in the output of wrk:\n{out}{result.stderr}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    total = re.search(r"(\d+) requests in", out)
    return Rate(
        rps=float(found.group(1)),
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        errors=errors,
        requests=int(total.group(1)) if total else 0,
    )


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> dict[int, tuple[str, float]]:
    """User + system CPU time each of these processes has used so far, with its kind."""
    used: dict[int, tuple[str, float]] = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            kind = process_kind(pid)
        except OSError:
            continue
        used[pid] = (kind, (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)  # utime, stime
    return used


def cpu_spent(
    before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]
) -> dict[str, float]:
    """Seconds of CPU by kind between two readings. A process that started in between counts
    from zero; one that ended in between is lost (PostgreSQL ends a backend per closed
    connection), which makes the figure a slight underestimate, never a negative one."""
    spent: dict[str, float] = {}
    for pid, (kind, seconds) in after.items():
        earlier = before.get(pid)
        start = earlier[1] if earlier and earlier[0] == kind else 0.0
        spent[kind] = spent.get(kind, 0.0) + seconds - start
    return spent


def process_kind(pid: int) -> str:
    """What a process of the stack is, for the CPU breakdown: `gunicorn catalog-django`..."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    directory = Path(os.readlink(f"/proc/{pid}/cwd")).name
    for marker, kind in (
        ("nginx", "nginx"),
        ("honcho", "honcho (relays log lines)"),
        ("postgres", "PostgreSQL"),
        ("redis-server", "Redis"),
    ):
        if marker in command:
            return kind
    for marker in ("gunicorn", "celery", "outbox", "run_periodic", "devsmtp"):
        if marker in command:
            return f"{marker} {directory}"
    return "other"


def process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdecimal():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def stack_memory(pids: list[int]) -> dict[str, float]:
    """Resident memory of these processes in MiB: RSS summed, and PSS (shared pages split)."""
    rss = pss = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        rss += int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE).group(1))
        found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
        pss += int(found.group(1)) if found else 0
    return {
        "rss_mib": round(rss / 1024, 1),
        "pss_mib": round(pss / 1024, 1),
        "processes": len(pids),
    }


class MemorySampler:
    """Samples the stack's memory every second in a thread; keeps the largest sample."""

    def __init__(self, pids: Callable[[], list[int]]) -> None:
        self._pids = pids
        self._stop = threading.Event()
        self.peak: dict[str, float] = {"rss_mib": 0.0, "pss_mib": 0.0, "processes": 0}
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            sample = stack_memory(self._pids())
            if sample["pss_mib"] > self.peak["pss_mib"]:
                self.peak = sample

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def postgres_pids(data_dir: Path) -> list[int]:
    """The PostgreSQL server's processes: the postmaster (postmaster.pid) and its children."""
    pid_file = data_dir / "postmaster.pid"
    if not pid_file.exists():
        return []
    main = int(pid_file.read_text().split()[0])
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdecimal():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == main:
                children.append(int(entry.name))
    return [main, *children]


def stack_pids(stack) -> list[int]:
    """The shop's processes and, when the stack has its own, the PostgreSQL server's."""
    database = postgres_pids(stack.postgres.data_dir) if stack.postgres is not None else []
    return stack.pids() + database


def wait_for_quiet(stack, what: str) -> None:
    """Until the event queues are empty: the work of one section must not slow the next."""
    import redis

    client = redis.Redis.from_url(stack.redis.url)
    deadline = time.monotonic() + SETTLE_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        waiting = sum(client.llen(queue) for queue in ("catalog", "notify"))
        if waiting == 0:
            return
        time.sleep(1)
    say(f"{what}: the event queues still hold {waiting} messages; measuring anyway")


# --- the static floor ----------------------------------------------------------------------------


class StaticNginx:
    """nginx serving one JSON file: the same binary and worker count as the gateway, no logs."""

    def __init__(self, body: bytes) -> None:
        import gateway

        from testenv.ports import free_port, wait_for_port

        self.root = Path(tempfile.mkdtemp(prefix="bench-static-"))
        (self.root / "html").mkdir()
        (self.root / "html" / "page.json").write_bytes(body)
        (self.root / "temp").mkdir()
        self.port = free_port()
        venv = str(VENV_BIN.resolve())
        path = os.pathsep.join(
            p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != venv
        )
        self.binary, _ = gateway.find_nginx(VENV_PYTHON, search_path=path)
        user = "user root;" if os.geteuid() == 0 else ""
        (self.root / "nginx.conf").write_text(
            f"""daemon off;
worker_processes 1;
pid {self.root}/nginx.pid;
error_log stderr warn;
{user}
events {{ worker_connections 1024; }}
http {{
    types {{ application/json json; }}
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65s;
    access_log off;
    client_body_temp_path {self.root}/temp/client_body;
    proxy_temp_path {self.root}/temp/proxy;
    fastcgi_temp_path {self.root}/temp/fastcgi;
    uwsgi_temp_path {self.root}/temp/uwsgi;
    scgi_temp_path {self.root}/temp/scgi;
    server {{
        listen 127.0.0.1:{self.port};
        root {self.root}/html;
    }}
}}
"""
        )
        self.process = subprocess.Popen(
            [
                self.binary,
                "-p",
                str(self.root),
                "-c",
                str(self.root / "nginx.conf"),
                "-e",
                "stderr",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/page.json"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


# --- the shop through its API --------------------------------------------------------------------


class ShopClient:
    """Just enough of the shop's API for the benchmark: customers, orders, notifications."""

    def __init__(self, base_url: str) -> None:
        import requests
        from shopload import catalog as shop
        from shopload.settings import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD

        self.base_url = base_url
        self.http = requests.Session()
        self.admin = shop.Admin(base_url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)

    def register(self, count: int, tag: str) -> list[dict]:
        from concurrent.futures import ThreadPoolExecutor

        import requests

        def one(number: int) -> dict:
            email = f"bench-{tag}-{number}@loadtest.example"
            password = f"Lantern-{uuid.uuid4().hex[:12]}"
            response = requests.post(
                f"{self.base_url}/api/auth/register",
                json={"email": email, "password": password, "name": "Bench Buyer"},
                timeout=60,
            )
            if response.status_code != 201:
                raise BenchError(
                    f"registering {email}: HTTP {response.status_code} {response.text}"
                )
            return {"email": email, "access_token": response.json()["access_token"]}

        with ThreadPoolExecutor(max_workers=4) as pool:
            return list(pool.map(one, range(count)))

    def _all(self, path: str, token: str) -> list[dict]:
        found, page = [], 1
        while True:
            response = self.http.get(
                f"{self.base_url}{path}",
                params={"page": page, "page_size": 100},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            if response.status_code != 200:
                raise BenchError(f"GET {path}: HTTP {response.status_code} {response.text[:200]}")
            body = response.json()
            found += body["results"]
            if page >= body["total_pages"]:
                return found
            page += 1

    def orders(self, token: str) -> list[dict]:
        return self._all("/api/orders/", token)

    def notifications(self, token: str) -> list[dict]:
        return self._all("/api/notifications/", token)

    def paid_orders(self) -> int:
        response = self.admin.http.get(
            f"{self.base_url}/api/orders/admin/orders/",
            params={"status": "paid", "page_size": 1},
            timeout=30,
        )
        if response.status_code != 200:
            raise BenchError(f"admin orders: HTTP {response.status_code} {response.text[:200]}")
        return response.json()["count"]

    def stock(self) -> dict[int, dict[str, int]]:
        from shopload import catalog as shop

        return shop.stock_totals(self.admin)


def _when(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _percentile(values: list[float], fraction: float) -> float:
    """Nearest rank: the smallest value with at least `fraction` of all values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --- sections ------------------------------------------------------------------------------------


@dataclass
class Results:
    machine: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    start: dict = field(default_factory=dict)
    memory: dict = field(default_factory=dict)
    http: dict = field(default_factory=dict)
    checkout: dict = field(default_factory=dict)
    mix: dict = field(default_factory=dict)


def machine() -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)
    load = Path("/proc/loadavg").read_text().split()[:3]
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "kernel": os.uname().release,
        "python": sys.version.split()[0],
        "load_average_at_start": load,
        "wrk": (wrk_version.split("[")[0].strip() or "wrk"),
    }


def measure_start(stack: "object", starts: int) -> dict:
    """First start (migrations, demo data) and restarts on the same data: seconds to ready."""
    say("start: first start of the shop (migrations and demo data included)")
    stack.start()
    first = stack.started_seconds
    say(f"start: ready after {first:.1f}s")
    restarts = []
    for number in range(max(0, starts - 1)):
        stack.stop()
        stack.start()
        restarts.append(stack.started_seconds)
        say(f"start: restart {number + 1} ready after {stack.started_seconds:.1f}s")
    return {
        "first_seconds": round(first, 1),
        "restart_seconds": [round(value, 1) for value in restarts],
        "restart_median_seconds": round(_median(restarts), 1) if restarts else None,
    }


def measure_http(stack, static: StaticNginx, args: argparse.Namespace, client) -> dict:
    """Requests per second of each figure, and the CPU time the serving side spent on each
    request: every process of the shop's stack (nginx for the static file). CPU per request
    is what a busy neighbour disturbs least."""
    import requests

    stack_url = stack.url
    product = client.admin.products()[0]["slug"]
    targets = {
        "static": (static.url, (), None),
        "healthz": (f"{stack_url}/api/catalog/healthz", (), "static"),
        "list": (f"{stack_url}{LIST_PATH}", (), "static"),
        "detail": (f"{stack_url}/api/catalog/products/{product}/", (), "static"),
        "search": (f"{stack_url}/api/catalog/products/?page=1&q=lamp", (), "static"),
        "list_gzip": (f"{stack_url}{LIST_PATH}", GZIP, "static"),
        "list_bypass": (f"{stack_url}{LIST_PATH}", BYPASS, "healthz"),
        "detail_bypass": (f"{stack_url}/api/catalog/products/{product}/", BYPASS, "healthz"),
        "search_bypass": (f"{stack_url}/api/catalog/products/?page=1&q=lamp", BYPASS, "healthz"),
    }
    if args.figures:
        # Each figure needs its baseline (and the baseline's) measured in the same round.
        wanted = set(args.figures)
        for name in args.figures:
            while targets[name][2]:
                name = targets[name][2]
                wanted.add(name)
        targets = {name: target for name, target in targets.items() if name in wanted}
    rounds: list[dict[str, Rate]] = []
    for number in range(args.rounds):
        measured: dict[str, Rate] = {}
        for name, (url, headers, _) in targets.items():
            if headers != BYPASS:  # warm the cache: the first request after a change is a MISS
                requests.get(url, timeout=10)
            static_pids = process_tree(static.process.pid)
            serving = static_pids if name == "static" else stack_pids(stack)
            before = cpu_seconds(serving)
            rate = wrk(url, seconds=args.seconds, connections=args.connections, headers=headers)
            # Processes started during the run (a new database connection) count too.
            current = static_pids if name == "static" else stack_pids(stack)
            spent = cpu_spent(before, cpu_seconds(current))
            if rate.requests:
                rate.cpu_ms_by_process = {
                    kind: seconds * 1000 / rate.requests for kind, seconds in spent.items()
                }
                rate.cpu_ms_per_request = sum(rate.cpu_ms_by_process.values())
            measured[name] = rate
        rounds.append(measured)
        shown = ", ".join(f"{name} {rate.rps:.0f}/s" for name, rate in measured.items())
        say(f"http: round {number + 1}/{args.rounds}: {shown}")
    figures = {}
    for name, (url, headers, baseline) in targets.items():
        rates = [measured[name] for measured in rounds]
        entry = {
            "url": url.replace(stack_url, "").replace(static.url, "nginx: /page.json"),
            "headers": list(headers),
            "rps": round(_median([rate.rps for rate in rates]), 1),
            "rps_rounds": [round(rate.rps, 1) for rate in rates],
            "p50_ms": round(_median([rate.p50_ms for rate in rates]), 2),
            "p99_ms": round(_median([rate.p99_ms for rate in rates]), 2),
            "cpu_ms_per_request": round(_median([rate.cpu_ms_per_request for rate in rates]), 3),
            "cpu_ms_by_process": {
                kind: round(_median([rate.cpu_ms_by_process.get(kind, 0.0) for rate in rates]), 3)
                for kind in sorted({kind for rate in rates for kind in rate.cpu_ms_by_process})
            },
            "errors": sum(rate.errors for rate in rates),
        }
        if baseline:
            ratios = [measured[name].rps / measured[baseline].rps for measured in rounds]
            entry |= {
                "baseline": baseline,
                "ratio": round(_median(ratios), 3),
                "ratio_rounds": [round(ratio, 3) for ratio in ratios],
            }
        figures[name] = entry
    return {
        "connections": args.connections,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "figures": figures,
    }


def checkout_round(
    stack, client: ShopClient, args: argparse.Namespace, number: int, folder: Path
) -> dict:
    stack_url = stack.url
    customers = client.register(args.checkout_users, f"{int(time.time())}-{number}")
    product_ids = [p["id"] for p in client.admin.products() if p["is_active"]]
    stock_before = client.stock()
    paid_before = client.paid_orders()
    customers_file = folder / f"checkout-{number}-customers.json"
    customers_file.write_text(json.dumps({"customers": customers, "product_ids": product_ids}))
    prefix = folder / f"checkout-{number}"
    command = [
        str(VENV_BIN / "locust"), "-f", str(LOADTESTS / "checkout_bench.py"),
        "--host", stack_url, "--headless",
        "--users", str(args.checkout_users), "--spawn-rate", str(args.checkout_users),
        "--run-time", f"{args.checkout_seconds}s", "--stop-timeout", "10",
        "--only-summary", "--csv", str(prefix), "--logfile", f"{prefix}.log",
    ]  # fmt: skip
    env = {**bootstrap.venv_environ(), "LOADTEST_BENCH_CUSTOMERS": str(customers_file)}
    before = cpu_seconds(stack_pids(stack))
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    spent = cpu_spent(before, cpu_seconds(stack_pids(stack)))
    from shopload.slo import stats_from_csv

    rows = {row.key: row for row in stats_from_csv(Path(f"{prefix}_stats.csv"))}
    placed = rows.get("POST /api/orders/ (checkout)")
    added = rows.get("POST /api/cart/items/")
    if placed is None:
        raise BenchError(f"the checkout run made no checkout; see {prefix}.log")
    with Path(f"{prefix}_stats.csv").open() as handle:
        header, *lines = handle.read().splitlines()
    columns = header.split(",")
    checkout_line = next(line.split(",") for line in lines if "(checkout)" in line)
    values = dict(zip(columns, checkout_line, strict=True))

    # Stock conserved: wait until every reservation of the round has been committed.
    settled_at = None
    deadline = time.monotonic() + SETTLE_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        stock_after = client.stock()
        reserved = sum(s["reserved"] for s in stock_after.values())
        if reserved == sum(s["reserved"] for s in stock_before.values()):
            settled_at = time.monotonic()
            break
        time.sleep(1)
    paid_after = client.paid_orders()
    sold = sum(stock_after[i]["sold"] - stock_before[i]["sold"] for i in stock_before)
    unchanged = all(
        sum(stock_after[i].values()) == sum(stock_before[i].values()) for i in stock_before
    )
    paid = paid_after - paid_before

    # Event latency: each order's created_at to its order.placed notification's created_at.
    latencies: list[float] = []
    missing = 0
    deadline = time.monotonic() + SETTLE_TIMEOUT_SECONDS
    for customer in customers:
        token = customer["access_token"]
        orders = {order["id"]: _when(order["created_at"]) for order in client.orders(token)}
        while True:
            notes = {
                note["link"].rsplit("/", 1)[-1]: _when(note["created_at"])
                for note in client.notifications(token)
                if note["type"] == "order.placed"
            }
            if set(orders) <= set(notes) or time.monotonic() > deadline:
                break
            time.sleep(1)
        missing += len(set(orders) - set(notes))
        latencies += [notes[i] - created for i, created in orders.items() if i in notes]

    succeeded = placed.requests - placed.failures
    return {
        # CPU of every process of the stack while the round ran, per order paid (the cart
        # request, the events and the notifications of the round that ran meanwhile included).
        "cpu_ms_per_order_by_process": {
            kind: round(seconds * 1000 / max(1, succeeded), 2) for kind, seconds in spent.items()
        },
        "orders_per_second": round(succeeded / args.checkout_seconds, 1),
        "checkouts": placed.requests,
        "failures": placed.failures + (added.failures if added else 0),
        "p50_ms": float(values["50%"]),
        "p95_ms": placed.p95_ms,
        "p99_ms": placed.p99_ms,
        "add_to_cart_p95_ms": added.p95_ms if added else None,
        "stock": {
            "paid_orders": paid,
            "units_sold": sold,
            "every_product_total_unchanged": unchanged,
            "reservations_settled": settled_at is not None,
            "conserved": unchanged and sold == paid and settled_at is not None,
        },
        "event_latency": {
            "orders": len(latencies) + missing,
            "missing_notifications": missing,
            "p50_ms": round(_percentile(latencies, 0.5) * 1000, 1),
            "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
            "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        },
    }


def measure_checkout(stack, client: ShopClient, args: argparse.Namespace, folder: Path) -> dict:
    from shopload import catalog as shop

    shop.stock_prepare(client.admin, STOCK_LEVEL, folder / "stock-baseline.json")
    rounds = []
    with MemorySampler(stack.pids) as memory:
        for number in range(1, args.checkout_rounds + 1):
            result = checkout_round(stack, client, args, number, folder)
            rounds.append(result)
            latency = result["event_latency"]
            say(
                f"checkout: round {number}/{args.checkout_rounds}: "
                f"{result['orders_per_second']} orders/s, p95 {result['p95_ms']:.0f} ms, "
                f"{result['failures']} failures, stock conserved: "
                f"{result['stock']['conserved']}; event p95 {latency['p95_ms']:.0f} ms"
            )

    def median(key: Callable[[dict], float]) -> float:
        return round(_median([key(result) for result in rounds]), 1)

    return {
        "users": args.checkout_users,
        "seconds": args.checkout_seconds,
        "rounds": rounds,
        "orders_per_second": median(lambda r: r["orders_per_second"]),
        "p50_ms": median(lambda r: r["p50_ms"]),
        "p95_ms": median(lambda r: r["p95_ms"]),
        "p99_ms": median(lambda r: r["p99_ms"]),
        "failures": sum(r["failures"] for r in rounds),
        "stock_conserved": all(r["stock"]["conserved"] for r in rounds),
        "event_p50_ms": median(lambda r: r["event_latency"]["p50_ms"]),
        "event_p95_ms": median(lambda r: r["event_latency"]["p95_ms"]),
        "missing_notifications": sum(r["event_latency"]["missing_notifications"] for r in rounds),
        "memory_peak": memory.peak,
        "cpu_ms_per_order_by_process": {
            kind: median(lambda r, kind=kind: r["cpu_ms_per_order_by_process"].get(kind, 0.0))
            for kind in sorted({k for r in rounds for k in r["cpu_ms_per_order_by_process"]})
        },
    }


def measure_mix(stack, args: argparse.Namespace, folder: Path) -> dict:
    report = folder / "mix"
    command = [
        str(VENV_PYTHON), str(ROOT / "scripts" / "loadtest.py"), "--host", stack.url,
        "-u", str(args.mix_users), "-r", str(max(1, args.mix_users // 10)),
        "-t", f"{args.mix_seconds}s", "--report-dir", str(report),
    ]  # fmt: skip
    with MemorySampler(stack.pids) as memory:
        result = subprocess.run(command, capture_output=True, text=True)
    (folder / "mix.log").write_text(result.stdout + result.stderr)
    from shopload.slo import stats_from_csv

    rows = {row.key: row for row in stats_from_csv(report / "locust_stats.csv")}
    total = rows["Aggregated"]
    with (report / "locust_stats.csv").open() as handle:
        header, *lines = handle.read().splitlines()
    aggregated = dict(zip(header.split(","), lines[-1].split(","), strict=True))
    return {
        "users": args.mix_users,
        "seconds": args.mix_seconds,
        "requests": total.requests,
        "failures": total.failures,
        "rps": round(float(aggregated["Requests/s"]), 1),
        "p50_ms": float(aggregated["50%"]),
        "p95_ms": total.p95_ms,
        "p99_ms": total.p99_ms,
        "slo_exit_code": result.returncode,
        "memory_peak": memory.peak,
        "report": str(report / "report.html"),
    }


# --- the table -----------------------------------------------------------------------------------


def _goal(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "**not met**")


def table(results: Results) -> str:
    rows = [
        "| measurement | figure | baseline (same rounds) | ratio | goal | |",
        "|---|---|---|---|---|---|",
    ]
    http = results.http.get("figures", {})

    def rate(name: str, label: str, goal: str = "", threshold: float | None = None) -> None:
        if name not in http:
            return
        entry = http[name]
        figure = (
            f"{entry['rps']:,.0f} req/s (p50 {entry['p50_ms']:.1f} ms, "
            f"p99 {entry['p99_ms']:.1f} ms; CPU {entry['cpu_ms_per_request']:.2f} ms/request)"
        )
        if entry["errors"]:
            figure += f", {entry['errors']} errors"
        baseline = ratio = ""
        met = None
        if "baseline" in entry:
            base = http[entry["baseline"]]
            baseline = f"{entry['baseline']}: {base['rps']:,.0f} req/s"
            ratio = f"{entry['ratio']:.3f}"
            if threshold is not None:
                met = entry["ratio"] >= threshold and not entry["errors"]
        rows.append(f"| {label} | {figure} | {baseline} | {ratio} | {goal} | {_goal(met)} |")

    size = results.http.get("page_bytes")
    rate("static", f"nginx, static JSON file ({size} bytes, as large as the catalogue page)")
    rate("healthz", "`/api/catalog/healthz` through the gateway")
    rate("list", "catalogue list page, anonymous, gateway cache warm", ">= 0.50 of static", 0.5)
    rate("list_gzip", "the same, gzip-compressed as browsers ask (`Accept-Encoding: gzip`)")
    rate("detail", "product detail, anonymous, cache warm")
    rate("search", "search (`q=lamp`), anonymous, cache warm")
    rate("list_bypass", "catalogue list page, gateway cache bypassed", ">= 0.50 of healthz", 0.5)
    rate("detail_bypass", "product detail, cache bypassed")
    rate("search_bypass", "search, cache bypassed")

    checkout = results.checkout
    if checkout:
        met = (
            checkout["orders_per_second"] >= 100
            and checkout["p95_ms"] < 300
            and not checkout["failures"]
        )
        rows.append(
            f"| checkout, {checkout['users']} customers without pause | "
            f"{checkout['orders_per_second']} orders/s; p50 {checkout['p50_ms']:.0f} / "
            f"p95 {checkout['p95_ms']:.0f} / p99 {checkout['p99_ms']:.0f} ms; "
            f"{checkout['failures']} failures; stock conserved: "
            f"{'yes' if checkout['stock_conserved'] else '**no**'} | | | "
            f">= 100 orders/s, p95 < 300 ms, no errors | {_goal(met)} |"
        )
        missing = checkout["missing_notifications"]
        event_met = checkout["event_p95_ms"] < 1000 and not missing
        rows.append(
            f"| event latency, order placed -> notification stored (during checkout) | "
            f"p50 {checkout['event_p50_ms']:.0f} ms, p95 {checkout['event_p95_ms']:.0f} ms"
            f"{f', {missing} never arrived' if missing else ''}"
            f" | | | p95 < 1 s | {_goal(event_met)} |"
        )
    mix = results.mix
    if mix:
        met = mix["failures"] == 0 and mix["p95_ms"] < 500
        rows.append(
            f"| Locust mix, {mix['users']} users, {mix['seconds']} s | {mix['rps']} req/s; "
            f"p50 {mix['p50_ms']:.0f} / p95 {mix['p95_ms']:.0f} / p99 {mix['p99_ms']:.0f} ms; "
            f"{mix['failures']} failures of {mix['requests']}; SLO file "
            f"{'passed' if mix['slo_exit_code'] == 0 else '**failed**'} | | | "
            f"no failures, p95 < 500 ms | {_goal(met)} |"
        )
    memory = results.memory
    if memory.get("idle"):
        idle = memory["idle"]
        rows.append(
            f"| memory of the stack, idle ({idle['processes']} processes) | "
            f"PSS {idle['pss_mib']:.0f} MiB (RSS summed {idle['rss_mib']:.0f} MiB) | | | | |"
        )
    for label, source in (("checkout", checkout), ("Locust mix", mix)):
        if source and source.get("memory_peak", {}).get("pss_mib"):
            peak = source["memory_peak"]
            rows.append(
                f"| memory of the stack, peak under the {label} | PSS {peak['pss_mib']:.0f} MiB "
                f"(RSS summed {peak['rss_mib']:.0f} MiB) | | | | |"
            )
    if memory.get("postgres_idle"):
        pg = memory["postgres_idle"]
        rows.append(
            f"| PostgreSQL server (not part of `make dev`'s default), idle | "
            f"PSS {pg['pss_mib']:.0f} MiB | | | | |"
        )
    start = results.start
    if start:
        rows.append(
            f"| `make dev` to every service ready, first start (migrations, demo data) | "
            f"{start['first_seconds']} s | | | | |"
        )
        if start.get("restart_median_seconds") is not None:
            rows.append(
                f"| `make dev` to every service ready, restart (median of "
                f"{len(start['restart_seconds'])}) | {start['restart_median_seconds']} s | | | | |"
            )
    return "\n".join(rows)


def cpu_table(results: Results) -> str:
    """CPU time per request by kind of process, for the figures that explain the ratios."""
    http = results.http.get("figures", {})
    shown = ("healthz", "list", "list_gzip", "list_bypass", "search_bypass")
    names = [name for name in shown if name in http]
    if not names:
        return ""
    spent = {name: http[name]["cpu_ms_by_process"] for name in names}
    kinds = sorted({kind for name in names for kind, ms in spent[name].items() if ms >= 0.005})
    rows = [
        "| CPU ms per request | " + " | ".join(kinds) + " | all |",
        "|---|" + "---|" * (len(kinds) + 1),
    ]
    for name in names:
        cells = [f"{spent[name].get(kind, 0.0):.2f}" for kind in kinds]
        total = http[name]["cpu_ms_per_request"]
        rows.append(f"| {name} | " + " | ".join(cells) + f" | {total:.2f} |")
    return "\n".join(rows)


def update_doc(text: str) -> None:
    document = DOC.read_text()
    if DOC_BEGIN not in document or DOC_END not in document:
        raise BenchError(f"{DOC} has no markers {DOC_BEGIN!r} ... {DOC_END!r}")
    before, rest = document.split(DOC_BEGIN, 1)
    _, after = rest.split(DOC_END, 1)
    DOC.write_text(f"{before}{DOC_BEGIN}\n{text}\n{DOC_END}{after}")


# --- main ----------------------------------------------------------------------------------------


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default=",".join(SECTIONS), help="sections, comma-separated")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of HTTP figures")
    parser.add_argument("--seconds", type=int, default=5, help="seconds per HTTP figure")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument(
        "--figures",
        default="",
        help=f"only these HTTP figures (and their baselines): {', '.join(HTTP_FIGURES)}",
    )
    parser.add_argument("--checkout-users", type=int, default=16)
    parser.add_argument("--checkout-seconds", type=int, default=20)
    parser.add_argument("--checkout-rounds", type=int, default=3)
    parser.add_argument("--mix-users", type=int, default=200)
    parser.add_argument("--mix-seconds", type=int, default=60)
    parser.add_argument("--starts", type=int, default=3, help="first start plus restarts")
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="for the shop's processes"
    )
    parser.add_argument("--update-doc", action="store_true", help=f"write the table into {DOC}")
    parser.add_argument(
        "--from-results",
        type=Path,
        metavar="RESULTS_JSON",
        help="measure nothing: print (and with --update-doc write) the table of an earlier run",
    )
    args = parser.parse_args(argv)
    args.sections = [name.strip() for name in args.only.split(",") if name.strip()]
    args.figures = [name.strip() for name in args.figures.split(",") if name.strip()]
    if set(args.figures) - set(HTTP_FIGURES):
        parser.error(f"--figures: choose from {', '.join(HTTP_FIGURES)}")
    unknown = set(args.sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {SECTIONS}")
    return args


def checkout_cpu_table(results: Results) -> str:
    spent = results.checkout.get("cpu_ms_per_order_by_process", {})
    shown = sorted(
        ((kind, ms) for kind, ms in spent.items() if ms >= 0.05), key=lambda item: -item[1]
    )
    if not shown:
        return ""
    rows = ["| process | CPU ms per order |", "|---|---|"]
    rows += [f"| {kind} | {ms:.1f} |" for kind, ms in shown]
    rows.append(f"| all | {sum(spent.values()):.1f} |")
    return "\n".join(rows)


def render(results: Results) -> str:
    """The tables, as printed and as written into docs/performance.md."""
    text = table(results)
    breakdown = cpu_table(results)
    if breakdown:
        text += "\n\nWhere the CPU time of one request goes (median of the rounds):\n\n" + breakdown
    per_order = checkout_cpu_table(results)
    if per_order:
        text += "\n\nWhere the CPU time of one checkout goes (median of the rounds):\n\n"
        text += per_order
    return text


def rerender(args: argparse.Namespace) -> int:
    """The table of an earlier run's results.json, e.g. after changing how it is shown."""
    results = Results(**json.loads(args.from_results.read_text()))
    text = render(results)
    print(f"\n{text}\n", flush=True)
    if args.update_doc:
        update_doc(text)
        say(f"wrote the table of {args.from_results} into {DOC}")
    return 0


def run(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(LOADTESTS))
    import requests
    from shopload.stack import LocalStack

    if shutil.which("wrk") is None and "http" in args.sections:
        raise BenchError("wrk is not installed: apt-get install -y wrk (macOS: brew install wrk)")
    settings = dict(item.split("=", 1) for item in args.env)
    folder = REPORTS / time.strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    results = Results(machine=machine(), settings={**vars(args), "env": settings})
    stack = LocalStack(settings=settings, database_prefix="bench")
    static = None
    try:
        stack.prepare()
        if "start" in args.sections:
            results.start = measure_start(stack, args.starts)
        else:
            stack.start()
        time.sleep(10)  # let the start-up work (first relay passes, beat) finish
        results.memory["idle"] = stack_memory(stack.pids())
        if stack.postgres is not None:
            results.memory["postgres_idle"] = stack_memory(postgres_pids(stack.postgres.data_dir))
        say(f"memory: idle {results.memory['idle']}")
        client = ShopClient(stack.url)
        if "http" in args.sections:
            body = requests.get(f"{stack.url}{LIST_PATH}", timeout=10).content
            static = StaticNginx(body)
            results.http = measure_http(stack, static, args, client)
            results.http["page_bytes"] = len(body)
        if "checkout" in args.sections:
            wait_for_quiet(stack, "checkout")
            results.checkout = measure_checkout(stack, client, args, folder)
        if "mix" in args.sections:
            wait_for_quiet(stack, "mix")
            say(f"mix: the Locust mix at {args.mix_users} users for {args.mix_seconds}s")
            results.mix = measure_mix(stack, args, folder)
            say(f"mix: {results.mix['failures']} failures, p95 {results.mix['p95_ms']} ms")
    finally:
        if static is not None:
            static.stop()
        stack.remove()
    text = render(results)
    (folder / "results.json").write_text(json.dumps(asdict(results), indent=2, default=str))
    (folder / "table.md").write_text(text + "\n")
    print(f"\n{text}\n", flush=True)
    say(f"results: {folder}")
    if args.update_doc:
        update_doc(text)
        say(f"wrote the table into {DOC}")
    return 0


def _interrupt(signum: int, _frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so the shop and its throwaway servers are still removed."""
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    args = parse(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    if not in_virtualenv():
        say("syncing the virtualenv (uv sync --frozen)")
        bootstrap.sync()
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), str(Path(__file__).resolve()), *argv])  # noqa: S606
    try:
        return rerender(args) if args.from_results else run(args)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except bootstrap.BootstrapError as error:
        print(f"bench: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
