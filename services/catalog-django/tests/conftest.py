"""Fixtures for every test: API clients whose tokens are signed by a key made for this run.

The key's public half is served as a JWKS over HTTP on a free port, and AUTH_JWKS_URL points
there, so token verification runs exactly as in production (PyJWKClient, RS256, issuer and
audience pinned). Nothing is patched out.
"""

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connections
from rest_framework.test import APIClient

from shopcore import authentication
from shopcore.testing import JwksServer, SigningKey, captured_json_logs


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
        return (key or signing_key).sign(payload)

    return make


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


@pytest.fixture(autouse=True)
def empty_read_cache() -> Iterator[None]:
    # Each test's database starts again from catalog version 0, so bodies kept by an earlier
    # test would be found under the same keys; a deployment's version only ever goes up.
    caches["catalog_reads"].clear()
    yield
    caches["catalog_reads"].clear()


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
    with captured_json_logs() as lines:
        yield lines


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    """The catalog's Redis database (the Celery broker), empty before and after the test."""
    client = redis.Redis.from_url(django_settings.REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()
