"""Small helpers shared by the API tests."""

import uuid
from typing import Any

from rest_framework.test import APIClient

CARD_PAYS = "4242424242424242"
CARD_DECLINED = "4000000000000002"
CARD_UNAVAILABLE = "4000000000009995"


def checkout_body(*, card: str = CARD_PAYS, **overrides: Any) -> dict[str, Any]:
    body = {
        "shipping_address": {
            "name": "Ada Lovelace",
            "line1": "1 Main Street",
            "line2": "",
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DE",
        },
        "payment": {"card_number": card, "expiry": "12/39", "cvc": "123"},
    }
    body.update(overrides)
    return body


def checkout(client: APIClient, *, key: str | None = None, body: dict | None = None, **kw: Any):
    return client.post(
        "/api/orders/",
        body if body is not None else checkout_body(**kw),
        format="json",
        HTTP_IDEMPOTENCY_KEY=key or str(uuid.uuid4()),
    )


def add_to_cart(client: APIClient, product_id: int, quantity: int = 1):
    response = client.post(
        "/api/cart/items/", {"product_id": product_id, "quantity": quantity}, format="json"
    )
    assert response.status_code == 200, response.content
    return response


def error_code(response) -> str:
    return response.json()["error"]["code"]
