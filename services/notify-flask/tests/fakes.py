"""Test doubles at the HTTP boundary: auth and orders as one small local HTTP server.

It serves what notify calls over the network, with the same paths and shapes as the real
services: auth's JWKS, `POST /internal/service-token`, `GET /internal/users/<id>`, and orders'
`GET /internal/orders/<id>/`. Tests add users and orders, make chosen paths fail, hold a request
open, and read back every request the service made. Being a real server on a real port, it also
serves a Celery worker running in another process.
"""

import json
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://auth.test"
SERVICE_CLIENT_ID = "notify"
SERVICE_CLIENT_SECRET = "notify-secret-0123456789abcdef"


@dataclass
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class PeerState:
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    # path -> statuses to answer, one per request, before answering normally again
    failures: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    # path -> status answered every time, until removed
    outages: dict[str, int] = field(default_factory=dict)
    issued_tokens: set[str] = field(default_factory=set)
    seen: list[SeenRequest] = field(default_factory=list)
    # Set `hold` to make order reads wait (after setting `arrived`) until it is released.
    hold: threading.Event | None = None
    arrived: threading.Event = field(default_factory=threading.Event)


class FakePeers:
    """auth and orders, as far as notify sees them."""

    def __init__(self) -> None:
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.state = PeerState()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "FakePeers":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            if self.state.hold is not None:
                self.state.hold.set()
            self.state = PeerState()

    # --- data --------------------------------------------------------------------------------

    def add_user(self, user_id: int, *, email: str | None = None, name: str = "Ada") -> dict:
        user = {
            "id": user_id,
            "email": email or f"user{user_id}@example.com",
            "name": name,
            "roles": ["customer"],
            "created_at": "2026-01-01T00:00:00Z",
        }
        self.state.users[user_id] = user
        return user

    def add_order(self, *, user_id: int, number: str = "2026-000042", status: str = "paid") -> dict:
        order_id = str(uuid.uuid4())
        order = {
            "id": order_id,
            "number": number,
            "user_id": user_id,
            "status": status,
            "lines": [
                {
                    "product_id": 7,
                    "sku": "MUG-001",
                    "name": "Enamel mug",
                    "unit_price": "12.50",
                    "quantity": 2,
                    "line_total": "25.00",
                },
                {
                    "product_id": 9,
                    "sku": "TEA-010",
                    "name": "Green tea, 100 g",
                    "unit_price": "7.90",
                    "quantity": 1,
                    "line_total": "7.90",
                },
            ],
            "subtotal": "32.90",
            "shipping": "4.90",
            "tax": "0.00",
            "total": "37.80",
            "currency": "EUR",
            "shipping_address": {
                "name": "Ada Lovelace",
                "line1": "12 Analytical Row",
                "line2": "",
                "city": "London",
                "postal_code": "NW1 2AB",
                "country": "GB",
            },
            "created_at": "2026-01-01T10:00:00Z",
        }
        self.state.orders[order_id] = order
        return order

    def fail(self, path: str, *statuses: int) -> None:
        """Answer the next requests to `path` with these statuses, then normally."""
        self.state.failures[path].extend(statuses)

    def outage(self, path: str, status: int = 503) -> None:
        self.state.outages[path] = status

    def recover(self, path: str) -> None:
        self.state.outages.pop(path, None)

    def requests_to(self, path: str) -> list[SeenRequest]:
        return [seen for seen in list(self.state.seen) if seen.path == path]

    # --- user tokens, signed like auth signs them ----------------------------------------------

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def user_token(
        self,
        user_id: int,
        *,
        audience: str = "shop",
        issuer: str = ISSUER,
        expires_in: int = 900,
        roles: tuple[str, ...] = ("customer",),
        key: Any = None,
        algorithm: str = "RS256",
        kid: str | None = None,
    ) -> str:
        now = datetime.now(UTC)
        claims = {
            "iss": issuer,
            "aud": audience,
            "sub": str(user_id),
            "roles": list(roles),
            "iat": now,
            "exp": now + timedelta(seconds=expires_in),
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(
            claims,
            key if key is not None else self.private_key,
            algorithm=algorithm,
            headers={"kid": kid or self.kid},
        )

    # --- the server side ----------------------------------------------------------------------

    def _answer(self, method: str, path: str, headers: dict[str, str], body: bytes):
        self.state.seen.append(SeenRequest(method, path, headers))
        if path in self.state.outages:
            return self.state.outages[path], {"error": {"code": "service_unavailable"}}
        pending = self.state.failures.get(path)
        if pending:
            return pending.pop(0), {"error": {"code": "service_unavailable"}}

        if method == "GET" and path == "/.well-known/jwks.json":
            return 200, self.jwks()
        if method == "POST" and path == "/internal/service-token":
            credentials = json.loads(body or b"{}")
            if credentials != {
                "client_id": SERVICE_CLIENT_ID,
                "client_secret": SERVICE_CLIENT_SECRET,
            }:
                return 401, {"error": {"code": "invalid_credentials"}}
            token = f"svc-{uuid.uuid4().hex}"
            self.state.issued_tokens.add(token)
            return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 300}

        scheme, _, token = headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or token not in self.state.issued_tokens:
            return 401, {"error": {"code": "not_authenticated"}}
        parts = [part for part in path.split("/") if part]
        if method == "GET" and parts[:2] == ["internal", "users"] and len(parts) == 3:
            user = self.state.users.get(int(parts[2])) if parts[2].isdigit() else None
            return (200, user) if user else (404, {"error": {"code": "not_found"}})
        if method == "GET" and parts[:2] == ["internal", "orders"] and len(parts) == 3:
            hold = self.state.hold
            if hold is not None:
                self.state.arrived.set()
                hold.wait(timeout=60)
            order = self.state.orders.get(parts[2])
            return (200, order) if order else (404, {"error": {"code": "not_found"}})
        return 404, {"error": {"code": "not_found"}}


def _make_handler(peers: FakePeers) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _handle(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, payload = peers._answer(method, self.path, dict(self.headers), body)
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the caller is gone (a worker killed mid-request)

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

    return Handler


def wait_for(condition, *, timeout: float = 15.0, interval: float = 0.05, what: str = "") -> Any:
    """Poll until `condition()` is truthy and return its value; fail the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what or condition}")
        time.sleep(interval)
