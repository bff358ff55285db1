"""REST clients: service token cached, request id passed on, failures become 503s."""

import pytest

from orders.clients import (
    OutOfStockError,
    UpstreamUnavailableError,
    service_token,
)
from orders.clients import (
    catalog as catalog_client,
)
from shopcore import request_id


def _internal_calls(fake) -> list[dict]:
    return [headers for method, path, headers in fake.requests if path.startswith("/internal/")]


def test_the_service_token_is_fetched_once_and_reused(catalog, fake_auth):
    issued = fake_auth.service_tokens_issued

    catalog_client.reservation_create(
        order_id="o-1", lines=[{"product_id": 1, "quantity": 1}], ttl_seconds=60
    )
    catalog_client.reservation_release(order_id="o-1")

    assert fake_auth.service_tokens_issued == issued + 1
    tokens = {headers["Authorization"] for headers in _internal_calls(catalog)}
    assert len(tokens) == 1


def test_a_rejected_token_is_renewed_once(catalog, fake_auth, monkeypatch):
    service_token.get()
    monkeypatch.setattr(service_token, "_token", "stale-token")

    reservation = catalog_client.reservation_create(
        order_id="o-2", lines=[{"product_id": 1, "quantity": 1}], ttl_seconds=60
    )

    assert reservation["status"] == "active"


def test_the_request_id_travels_with_every_call(catalog):
    token = request_id.bind("req-abc")
    try:
        catalog_client.products([1])
        catalog_client.reservation_create(
            order_id="o-3", lines=[{"product_id": 1, "quantity": 1}], ttl_seconds=60
        )
    finally:
        request_id.unbind(token)

    assert [headers.get("X-Request-ID") for _, _, headers in catalog.requests] == ["req-abc"] * 2


def test_out_of_stock_is_its_own_error(catalog):
    catalog.products[1].on_hand = 0

    with pytest.raises(OutOfStockError) as raised:
        catalog_client.reservation_create(
            order_id="o-4", lines=[{"product_id": 1, "quantity": 2}], ttl_seconds=60
        )

    assert raised.value.lines == [{"product_id": 1, "requested": 2, "available": 0}]


@pytest.mark.parametrize("fault", ["down", "500", "timeout"])
def test_failures_are_upstream_unavailable_with_status_503(catalog, settings, fault):
    settings.UPSTREAM_TIMEOUT_SECONDS = 0.2
    if fault == "down":
        catalog.stop()
    elif fault == "500":
        catalog.fail_with = 500
    else:
        catalog.delay_seconds = 0.5

    with pytest.raises(UpstreamUnavailableError) as raised:
        catalog_client.products([1])

    assert raised.value.status_code == 503
    assert raised.value.code == "service_unavailable"
    catalog.delay_seconds = 0


def test_auth_down_while_getting_a_token_is_503(catalog, settings):
    from testenv import free_port

    settings.AUTH_INTERNAL_URL = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(UpstreamUnavailableError) as raised:
        catalog_client.reservation_release(order_id="o-5")

    assert raised.value.service == "auth"


def test_wrong_client_credentials_are_a_503_not_a_crash(catalog, settings):
    settings.SERVICE_CLIENT_SECRET = "wrong"

    with pytest.raises(UpstreamUnavailableError):
        catalog_client.reservation_release(order_id="o-6")
