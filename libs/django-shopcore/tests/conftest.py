"""Fixtures: tokens signed by a key made for the run and published as a JWKS over HTTP.

AUTH_JWKS_URL points at that JWKS for every test, so tokens are verified exactly as in a
service (PyJWKClient, RS256, issuer and audiences pinned). Nothing is patched out.
"""

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
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


@pytest.fixture(autouse=True)
def fresh_jwks_client() -> Iterator[None]:
    # Each test gets its own key cache, as a freshly started process would.
    authentication._jwks_client.cache_clear()
    yield
    authentication._jwks_client.cache_clear()


def claims_for(settings: Any, **overrides: Any) -> dict[str, Any]:
    """The claims auth-flask puts in a user token; keyword arguments change or add claims."""
    now = int(time.time())
    return {
        "iss": settings.JWT_ISSUER,
        "aud": "shop",
        "sub": "42",
        "roles": ["customer"],
        "iat": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
        **overrides,
    }


TokenFactory = Callable[..., str]


@pytest.fixture
def make_token(signing_key: SigningKey, settings: Any) -> TokenFactory:
    """Sign a token like auth-flask does; `key` signs with another key, the rest are claims."""

    def make(*, key: SigningKey | None = None, **claims: Any) -> str:
        return (key or signing_key).sign(claims_for(settings, **claims))

    return make


def client_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def customer_client(make_token: TokenFactory) -> APIClient:
    return client_with(make_token(sub="7", roles=["customer"]))


@pytest.fixture
def admin_client(make_token: TokenFactory) -> APIClient:
    return client_with(make_token(sub="1", roles=["admin"]))


@pytest.fixture
def service_client(make_token: TokenFactory) -> APIClient:
    return client_with(make_token(sub="service:orders", roles=["service"], aud="shop-internal"))


@pytest.fixture
def json_logs() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The JSON lines logged during the test, as the production handler writes them."""
    with captured_json_logs() as lines:
        yield lines
