"""What the end-to-end tests share: clients of the gateway, bounded waiting, the mail sink, and
the shop's API as customers and the demo admin use it."""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from requests.adapters import HTTPAdapter

T = TypeVar("T")

DEMO_ADMIN = ("admin@shop.example", "Harbour-Lantern-42")
DEMO_CUSTOMER = ("customer@shop.example", "Meadow-Compass-17")

# Test cards of the mock payment provider (services/orders-django/README.md).
CARD_PAYS = "4242424242424242"
CARD_DECLINED = "4000000000000002"
CARD_PROVIDER_DOWN = "4000000000009995"

ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Harbour Street",
    "line2": "",
    "city": "Bristol",
    "postal_code": "BS1 4DJ",
    "country": "GB",
}


def wait_for(condition: Callable[[], T], *, timeout: float, what: str, interval: float = 0.2) -> T:
    """Poll until `condition()` is truthy and return it; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {timeout:g}s waiting for {what}; last: {value!r}"
            )
        time.sleep(interval)


def assert_json_error(response: requests.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code, error
    assert error["message"]
    assert isinstance(error["details"], dict)
    return error


# --- clients ------------------------------------------------------------------------------------


class _SourceAddressAdapter(HTTPAdapter):
    def __init__(self, address: str) -> None:
        self._address = address
        super().__init__(pool_maxsize=32)

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        kwargs["source_address"] = (self._address, 0)
        super().init_poolmanager(*args, **kwargs)


class Client(requests.Session):
    """A browser-like client of the gateway, from its own loopback address.

    Rate limits are per client address, so each simulated person gets an address of its own
    (127.0.0.0/8 is all loopback on Linux): one test's burst never throttles another's.
    """

    def __init__(self, base_url: str, address: str) -> None:
        super().__init__()
        self.base_url = base_url
        self.address = address
        self.mount("http://", _SourceAddressAdapter(address))

    def request(self, method: str, url: str, *args: object, **kwargs: object) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return super().request(method, self.base_url + url, *args, **kwargs)


@dataclass
class Customer:
    client: Client
    email: str
    password: str
    access_token: str
    user_id: int

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.client.get(path, headers=self.auth, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        headers = {**self.auth, **kwargs.pop("headers", {})}
        return self.client.post(path, headers=headers, **kwargs)

    def add_to_cart(self, product_id: int, quantity: int = 1) -> dict:
        response = self.post(
            "/api/cart/items/", json={"product_id": product_id, "quantity": quantity}
        )
        assert response.status_code == 200, response.text
        return response.json()

    def checkout(
        self, *, card: str = CARD_PAYS, key: str | None = None, **extra: Any
    ) -> requests.Response:
        """POST /api/orders/ with a fresh Idempotency-Key unless one is given."""
        return self.post(
            "/api/orders/",
            json=checkout_body(card, **extra),
            headers={"Idempotency-Key": key or str(uuid.uuid4())},
        )

    def orders(self) -> list[dict]:
        response = self.get("/api/orders/", params={"page_size": 100})
        assert response.status_code == 200, response.text
        return response.json()["results"]

    def order(self, order_id: str) -> dict:
        response = self.get(f"/api/orders/{order_id}/")
        assert response.status_code == 200, response.text
        return response.json()

    def notifications(self) -> list[dict]:
        response = self.get("/api/notifications/", params={"page_size": 100})
        assert response.status_code == 200, response.text
        return response.json()["results"]

    def notifications_of(self, event_type: str, link: str | None = None) -> list[dict]:
        return [
            item
            for item in self.notifications()
            if item["type"] == event_type and (link is None or item["link"] == link)
        ]


def checkout_body(card: str = CARD_PAYS, **extra: Any) -> dict:
    return {
        "shipping_address": dict(ADDRESS),
        "payment": {"card_number": card, "expiry": "12/39", "cvc": "123"},
        **extra,
    }


class Admin:
    """The demo admin, signed in through the gateway; signs in again before the token expires."""

    TOKEN_REUSE_SECONDS = 600

    def __init__(self, client: Client) -> None:
        self.client = client
        self._token = ""
        self._since = 0.0

    @property
    def auth(self) -> dict[str, str]:
        if not self._token or time.monotonic() - self._since > self.TOKEN_REUSE_SECONDS:
            email, password = DEMO_ADMIN
            response = self.client.post(
                "/api/auth/login", json={"email": email, "password": password}
            )
            assert response.status_code == 200, response.text
            self._token, self._since = response.json()["access_token"], time.monotonic()
        return {"Authorization": f"Bearer {self._token}"}

    def product(self, product_id: int) -> dict:
        response = self.client.get(f"/api/catalog/admin/products/{product_id}/", headers=self.auth)
        assert response.status_code == 200, response.text
        return response.json()

    def stock(self, product_id: int) -> dict[str, int]:
        """{on_hand, reserved, sold} as the catalog holds them now."""
        return self.product(product_id)["stock"]

    def set_stock(self, product_id: int, on_hand: int) -> dict[str, int]:
        response = self.client.put(
            f"/api/catalog/admin/products/{product_id}/stock/",
            json={"on_hand": on_hand},
            headers=self.auth,
        )
        assert response.status_code == 200, response.text
        return self.stock(product_id)

    def wait_for_stock(
        self, product_id: int, timeout: float = 30, **expected: int
    ) -> dict[str, int]:
        """Poll until the counters named in `expected` have those values (events are async)."""

        def matches() -> dict[str, int] | None:
            stock = self.stock(product_id)
            return stock if all(stock[name] == value for name, value in expected.items()) else None

        return wait_for(
            matches, timeout=timeout, what=f"stock of product {product_id} to be {expected}"
        )

    def orders(self, status: str | None = None) -> list[dict]:
        params: dict[str, Any] = {"page_size": 100}
        if status:
            params["status"] = status
        response = self.client.get("/api/orders/admin/orders/", params=params, headers=self.auth)
        assert response.status_code == 200, response.text
        return response.json()["results"]

    def post(self, path: str) -> requests.Response:
        return self.client.post(path, headers=self.auth)


class Mailbox:
    """The development mail sink's JSON API (a subset of Mailpit's), read directly."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def messages_to(self, address: str) -> list[dict]:
        response = requests.get(
            f"{self.base_url}/api/v1/search",
            params={"query": f"to:{address}", "limit": 500},
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["messages"]

    def subjects_to(self, address: str) -> list[str]:
        return sorted(message["Subject"] for message in self.messages_to(address))

    def message(self, message_id: str) -> dict:
        response = requests.get(f"{self.base_url}/api/v1/message/{message_id}", timeout=10)
        response.raise_for_status()
        return response.json()

    def wait_for(self, address: str, subject: str, *, timeout: float = 30) -> dict:
        """The one message to `address` whose subject contains `subject`, once it arrived."""

        def arrived() -> list[dict]:
            return [m for m in self.messages_to(address) if subject in m["Subject"]]

        found = wait_for(arrived, timeout=timeout, what=f"an e-mail {subject!r} to {address}")
        assert len(found) == 1, [m["Subject"] for m in found]
        return self.message(found[0]["ID"])
