"""Checkout at a fixed concurrency, for `make bench` (scripts/bench.py): no pauses, no browsing.

Each virtual user is one of the customers scripts/bench.py registered beforehand (their tokens
are in the JSON file LOADTEST_BENCH_CUSTOMERS), so the run measures buying only: put one unit
of a random product in the cart, check out with a fresh Idempotency-Key and the card that pays,
again and again. Every order has exactly one unit, so the units the catalogue sold during the
run must equal the orders paid: that is how the benchmark checks that stock was conserved.
"""

import json
import os
import random
import threading
import uuid

from locust import FastHttpUser, constant, events, task
from locust.env import Environment

ADDRESS = {
    "name": "Bench Buyer",
    "line1": "1 Benchmark Road",
    "line2": "",
    "city": "Bristol",
    "postal_code": "BS1 4DJ",
    "country": "GB",
}
PAYMENT = {"card_number": "4242424242424242", "expiry": "12/39", "cvc": "123"}

_customers: list[dict] = []
_product_ids: list[int] = []
_lock = threading.Lock()


@events.test_start.add_listener
def load_customers(environment: Environment, **_: object) -> None:
    with open(os.environ["LOADTEST_BENCH_CUSTOMERS"]) as handle:
        data = json.load(handle)
    _customers[:] = data["customers"]
    _product_ids[:] = data["product_ids"]


class Buyer(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        with _lock:
            customer = _customers.pop()
        self.headers = {"Authorization": f"Bearer {customer['access_token']}"}

    @task
    def buy_one(self) -> None:
        with self.client.post(
            "/api/cart/items/",
            json={"product_id": random.choice(_product_ids), "quantity": 1},
            headers=self.headers,
            name="/api/cart/items/",
            catch_response=True,
        ) as added:
            if added.status_code != 200:
                added.failure(f"add to cart: HTTP {added.status_code} {added.text[:200]}")
                return
        with self.client.post(
            "/api/orders/",
            json={"shipping_address": ADDRESS, "payment": PAYMENT},
            headers={**self.headers, "Idempotency-Key": str(uuid.uuid4())},
            name="/api/orders/ (checkout)",
            catch_response=True,
        ) as placed:
            if placed.status_code != 201 or placed.json().get("status") != "paid":
                placed.failure(f"checkout: HTTP {placed.status_code} {placed.text[:200]}")
