"""Fake auth and catalog services at the HTTP boundary, for unit and API tests.

Each is a real HTTP server on a free loopback port (so timeouts, refused connections and
concurrency behave as on the wire), implementing just the endpoints orders-django calls:
auth's JWKS and service tokens; the catalog's product list and internal reservation API with
all-or-nothing, idempotent reservations against an in-memory stock.
"""

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "http://auth.test"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog (5) would refuse connections when 30 checkouts arrive at once.
    request_queue_size = 128


class FakeServer:
    """A threaded HTTP server whose subclass answers `route(method, path, query, headers, body)`."""

    def __init__(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                if owner.stopped:
                    # A kept-alive connection from before stop(): hang up, as a dead server would.
                    self.close_connection = True
                    return
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                owner.requests.append((self.command, parts.path, dict(self.headers)))
                status, payload = owner.route(
                    self.command, parts.path, parse_qs(parts.query), self.headers, body
                )
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up waiting (a timeout test)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.requests: list[tuple[str, str, dict]] = []
        self.stopped = False
        self.server = _Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop answering: later calls get 'connection refused', as with a dead service."""
        self.stopped = True
        self.server.shutdown()
        self.server.server_close()

    def route(self, method, path, query, headers, body) -> tuple[int, Any]:
        raise NotImplementedError


def _error(status: int, code: str, message: str, details: dict | None = None) -> tuple[int, dict]:
    return status, {"error": {"code": code, "message": message, "details": details or {}}}


class FakeAuth(FakeServer):
    """auth-flask as orders sees it: a JWKS, service tokens, and tokens minted for tests."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.clients = {"orders": "orders-test-secret"}
        self.service_tokens_issued = 0
        super().__init__()

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        public.update(kid=self.kid, use="sig", alg="RS256")
        return {"keys": [public]}

    def token(
        self,
        *,
        sub: str,
        roles: list[str],
        audience: str = "shop",
        lifetime: int = 900,
        key: Any = None,
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload = {
            "iss": ISSUER,
            "aud": audience,
            "sub": sub,
            "roles": roles,
            "iat": now,
            "exp": now + lifetime,
            "jti": uuid.uuid4().hex,
            **claims,
        }
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def user_token(self, user_id: int, *, roles: list[str] | None = None, **kwargs: Any) -> str:
        return self.token(sub=str(user_id), roles=roles or ["customer"], **kwargs)

    def verify_service_token(self, header: str | None) -> bool:
        if not header or not header.startswith("Bearer "):
            return False
        try:
            claims = jwt.decode(
                header.removeprefix("Bearer "),
                self.key.public_key(),
                algorithms=["RS256"],
                audience="shop-internal",
                issuer=ISSUER,
            )
        except jwt.InvalidTokenError:
            return False
        return "service" in claims.get("roles", [])

    def route(self, method, path, query, headers, body) -> tuple[int, Any]:
        if method == "GET" and path == "/.well-known/jwks.json":
            return 200, self.jwks()
        if method == "POST" and path == "/internal/service-token":
            body = body or {}
            if self.clients.get(body.get("client_id")) != body.get("client_secret"):
                return _error(401, "invalid_credentials", "Unknown client.")
            self.service_tokens_issued += 1
            token = self.token(
                sub=f"service:{body['client_id']}",
                roles=["service"],
                audience="shop-internal",
                lifetime=300,
            )
            return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 300}
        return _error(404, "not_found", "Not found.")


@dataclass
class FakeProduct:
    id: int
    price: Decimal
    on_hand: int
    name: str = ""
    active: bool = True
    reserved: int = 0
    sold: int = 0
    initial: int = field(init=False)

    def __post_init__(self) -> None:
        self.initial = self.on_hand + self.reserved + self.sold
        self.name = self.name or f"Product {self.id}"

    @property
    def sku(self) -> str:
        return f"SKU-{self.id:05d}"

    @property
    def slug(self) -> str:
        return f"product-{self.id}"

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "sku": self.sku,
            "slug": self.slug,
            "name": self.name,
            "price": f"{self.price:.2f}",
            "currency": "EUR",
            "image": f"/api/catalog/images/{self.slug}/1.svg",
            "category": {"id": 1, "slug": "things", "name": "Things"},
            "in_stock": self.on_hand > 0,
            "available": self.on_hand,
        }


class FakeCatalog(FakeServer):
    """catalog-django's product list and internal reservation API, against in-memory stock."""

    def __init__(self, auth: FakeAuth) -> None:
        self.auth = auth
        self.products: dict[int, FakeProduct] = {}
        self.reservations: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        # Fault injection: an answer status for every request, or a delay before answering.
        self.fail_with: int | None = None
        self.delay_seconds = 0.0
        super().__init__()

    def add_product(self, product_id: int, *, price: str = "10.00", on_hand: int = 100, **kw: Any):
        product = FakeProduct(id=product_id, price=Decimal(price), on_hand=on_hand, **kw)
        self.products[product_id] = product
        return product

    def route(self, method, path, query, headers, body) -> tuple[int, Any]:
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        if self.fail_with:
            return _error(self.fail_with, "service_unavailable", "Injected failure.")
        if method == "GET" and path == "/api/catalog/products/":
            return self._products(query)
        if path.startswith("/internal/"):
            if not self.auth.verify_service_token(headers.get("Authorization")):
                return _error(401, "not_authenticated", "Service token required.")
            return self._internal(method, path, body or {})
        return _error(404, "not_found", "Not found.")

    def _products(self, query: dict) -> tuple[int, Any]:
        ids = [int(value) for value in query.get("ids", [""])[0].split(",") if value]
        results = [
            self.products[pid].summary()
            for pid in ids
            if pid in self.products and self.products[pid].active
        ]
        return 200, {
            "count": len(results),
            "page": 1,
            "page_size": 100,
            "total_pages": 1,
            "next": None,
            "previous": None,
            "results": results,
        }

    def _internal(self, method: str, path: str, body: dict) -> tuple[int, Any]:
        parts = [part for part in path.split("/") if part]
        with self.lock:
            if method == "POST" and parts == ["internal", "reservations"]:
                return self._reserve(body)
            if len(parts) == 3 and method == "GET":
                reservation = self.reservations.get(parts[2])
                return (200, reservation) if reservation else _error(404, "not_found", "No.")
            if len(parts) == 4 and method == "POST" and parts[3] in ("release", "commit"):
                return self._change(parts[2], parts[3])
        return _error(404, "not_found", "Not found.")

    def _reserve(self, body: dict) -> tuple[int, Any]:
        order_id = body["order_id"]
        if order_id in self.reservations:
            return 200, self.reservations[order_id]
        unknown = [
            line["product_id"] for line in body["lines"] if line["product_id"] not in self.products
        ]
        if unknown:
            problems = [f"There is no product {product_id}." for product_id in unknown]
            return _error(400, "validation_error", "Invalid lines.", {"lines": problems})
        short = []
        for line in body["lines"]:
            product = self.products.get(line["product_id"])
            available = product.on_hand if product and product.active else 0
            if available < line["quantity"]:
                short.append(
                    {
                        "product_id": line["product_id"],
                        "requested": line["quantity"],
                        "available": available,
                    }
                )
        if short:
            return _error(409, "out_of_stock", "Not enough stock.", {"lines": short})
        lines = []
        for line in body["lines"]:
            product = self.products[line["product_id"]]
            product.on_hand -= line["quantity"]
            product.reserved += line["quantity"]
            lines.append(
                {
                    "product_id": product.id,
                    "sku": product.sku,
                    "name": product.name,
                    "quantity": line["quantity"],
                    "unit_price": f"{product.price:.2f}",
                    "currency": "EUR",
                }
            )
        reservation = {
            "order_id": order_id,
            "status": "active",
            "expires_at": "2099-01-01T00:00:00Z",
            "lines": lines,
        }
        self.reservations[order_id] = reservation
        return 201, reservation

    def _change(self, order_id: str, action: str) -> tuple[int, Any]:
        reservation = self.reservations.get(order_id)
        if reservation is None:
            return _error(404, "not_found", "No such reservation.")
        status = reservation["status"]
        target = "released" if action == "release" else "committed"
        if status == target:
            return 200, reservation
        if status != "active":
            return _error(409, "conflict", f"Reservation is {status}.")
        for line in reservation["lines"]:
            product = self.products[line["product_id"]]
            product.reserved -= line["quantity"]
            if action == "release":
                product.on_hand += line["quantity"]
            else:
                product.sold += line["quantity"]
        reservation["status"] = target
        return 200, reservation

    def reservation_status(self, order_id: Any) -> str | None:
        reservation = self.reservations.get(str(order_id))
        return reservation["status"] if reservation else None
