"""Fixtures for every test: API clients whose tokens are signed by a key made for this run.

The key's public half is served as a JWKS over HTTP on a free port, and AUTH_JWKS_URL points
there, so token verification runs exactly as in production (PyJWKClient, RS256, issuer and
audience pinned). Nothing is patched out.
"""

import base64
import io
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
import redis
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings
from django.db import connections
from rest_framework.test import APIClient

from core import authentication
from core.logging import JsonFormatter, RequestIdFilter


@dataclass
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey

    @classmethod
    def generate(cls) -> "SigningKey":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return cls(kid=uuid.uuid4().hex[:16], private_key=key)

    def public_jwk(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        return {**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}


@dataclass
class JwksServer:
    """A JWKS endpoint like auth-flask's, with the keys a test wants it to publish."""

    keys: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    available: bool = True
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/.well-known/jwks.json"

    def start(self) -> "JwksServer":
        jwks = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                jwks.requests += 1
                if not jwks.available:
                    self.send_response(503)
                    self.end_headers()
                    return
                body = json.dumps({"keys": jwks.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture(scope="session")
def jwks_server() -> Iterator[JwksServer]:
    server = JwksServer().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def auth_keys(settings: Any, jwks_server: JwksServer, signing_key: SigningKey) -> JwksServer:
    """Every test starts with the run's key published and AUTH_JWKS_URL pointing at it."""
    jwks_server.keys = [signing_key.public_jwk()]
    jwks_server.available = True
    jwks_server.requests = 0
    settings.AUTH_JWKS_URL = jwks_server.url
    return jwks_server


TokenFactory = Callable[..., str]


@pytest.fixture
def make_token(signing_key: SigningKey, settings: Any) -> TokenFactory:
    """Sign a token like auth-flask does; keyword arguments change or add claims."""

    def make(
        *,
        sub: str = "42",
        roles: tuple[str, ...] = ("customer",),
        aud: str = "shop",
        expires_in: int = 300,
        key: SigningKey | None = None,
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload = {
            "iss": settings.JWT_ISSUER,
            "aud": aud,
            "sub": sub,
            "roles": roles if isinstance(roles, str) else list(roles),
            "iat": now,
            "exp": now + expires_in,
            "jti": uuid.uuid4().hex,
            **claims,
        }
        key = key or signing_key
        return jwt.encode(payload, key.private_key, algorithm="RS256", headers={"kid": key.kid})

    return make


def unsigned_token(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    """A token put together by hand, for forgeries PyJWT refuses to make."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return ".".join(
        [part(json.dumps(header).encode()), part(json.dumps(payload).encode()), part(signature)]
    )


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def _client_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def customer_client(make_token: TokenFactory) -> APIClient:
    return _client_with(make_token(sub="7", roles=("customer",)))


@pytest.fixture
def admin_client(make_token: TokenFactory) -> APIClient:
    return _client_with(make_token(sub="1", roles=("admin",)))


@pytest.fixture
def service_client(make_token: TokenFactory) -> APIClient:
    return _client_with(make_token(sub="service:orders", roles=("service",), aud="shop-internal"))


@pytest.fixture(autouse=True)
def fresh_jwks_client() -> Iterator[None]:
    # Each test gets its own key cache, as a freshly started process would.
    authentication._jwks_client.cache_clear()
    yield
    authentication._jwks_client.cache_clear()


class PinnedRouter:
    """Sends every read and write to one database alias."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return self.alias

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return self.alias

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True


@pytest.fixture(params=["default", "sqlite"])
def database(request: pytest.FixtureRequest, settings: Any) -> str:
    """Run a test on PostgreSQL and again on SQLite; returns the vendor in use.

    Tests using it need `@pytest.mark.django_db(databases=["default", "sqlite"])`.
    """
    if request.param != "default":
        settings.DATABASE_ROUTERS = [PinnedRouter(request.param)]
    return connections[request.param].vendor


@pytest.fixture
def on_sqlite(settings: Any) -> str:
    """Run a test on the SQLite alias only (it needs `databases=[..., "sqlite"]` too)."""
    settings.DATABASE_ROUTERS = [PinnedRouter("sqlite")]
    assert connections["sqlite"].vendor == "sqlite"
    return "sqlite"


@pytest.fixture
def json_logs() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The JSON lines the service logs during the test, as the production handler writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    """The catalog's Redis database (the Celery broker), empty before and after the test."""
    client = redis.Redis.from_url(django_settings.REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()
