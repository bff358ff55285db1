"""Fixtures: fake auth and catalog servers, signed-in API clients, a clean Celery broker."""

import uuid

import pytest
import redis
from rest_framework.test import APIClient

from orders.clients import service_token
from shopcore import authentication
from tests.fakes import ISSUER, FakeAuth, FakeCatalog


@pytest.fixture(scope="session")
def fake_auth():
    auth = FakeAuth()
    yield auth
    auth.stop()


@pytest.fixture(autouse=True)
def _point_at_fake_auth(settings, fake_auth):
    settings.JWT_ISSUER = ISSUER
    settings.AUTH_JWKS_URL = f"{fake_auth.url}/.well-known/jwks.json"
    settings.AUTH_INTERNAL_URL = fake_auth.url
    service_token.invalidate()
    # Each test gets its own key cache, as a freshly started process would.
    authentication._jwks_client.cache_clear()
    yield
    service_token.invalidate()
    authentication._jwks_client.cache_clear()


@pytest.fixture
def catalog(settings, fake_auth):
    """A fake catalog with two products: 1 (10.00 EUR) and 2 (25.50 EUR), 100 units each."""
    fake = FakeCatalog(fake_auth)
    fake.add_product(1, price="10.00", on_hand=100)
    fake.add_product(2, price="25.50", on_hand=100)
    settings.CATALOG_URL = fake.url
    yield fake
    if not fake.stopped:
        fake.stop()


@pytest.fixture
def client_for(fake_auth):
    def make(user_id: int = 1, *, roles: list[str] | None = None) -> APIClient:
        client = APIClient()
        token = fake_auth.user_token(user_id, roles=roles)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return make


@pytest.fixture
def customer(client_for) -> APIClient:
    return client_for(1)


@pytest.fixture
def other_customer(client_for) -> APIClient:
    return client_for(2)


@pytest.fixture
def admin(client_for) -> APIClient:
    return client_for(99, roles=["admin"])


@pytest.fixture
def broker(settings):
    """The test Redis database the Celery app sends to, emptied before and after."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def idempotency_key() -> str:
    return str(uuid.uuid4())
