"""Many reservations at once on PostgreSQL: the stock is never oversold.

Each thread has its own database connection, as each gunicorn thread has in production, and
they all start together at a barrier so their transactions really overlap.
"""

import random
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from django.db import connection, connections

from catalog.models import Reservation, ReservationLine, Stock
from catalog.services import (
    LineRequest,
    OutOfStockError,
    reservation_commit,
    reservation_release,
    reservation_reserve,
)
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)

T = TypeVar("T")


def _run_together(count: int, work: Callable[[int], T]) -> list[T]:
    barrier = threading.Barrier(count)

    def run(number: int) -> T:
        try:
            barrier.wait()
            return work(number)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _assert_stock_adds_up(initial: dict[int, int]) -> None:
    for stock in Stock.objects.all():
        assert min(stock.on_hand, stock.reserved, stock.sold) >= 0
        assert stock.on_hand + stock.reserved + stock.sold == initial[stock.product_id]


def test_thirty_buyers_for_five_units_exactly_five_succeed():
    assert connection.vendor == "postgresql"
    product = ProductFactory(stock__on_hand=5)

    def reserve(number: int) -> str:
        try:
            reservation_reserve(order_id=f"order-{number}", lines=[LineRequest(product.pk, 1)])
        except OutOfStockError:
            return "out_of_stock"
        return "reserved"

    outcomes = Counter(_run_together(30, reserve))

    assert outcomes == {"reserved": 5, "out_of_stock": 25}
    stock = Stock.objects.get(product=product)
    assert (stock.on_hand, stock.reserved, stock.sold) == (0, 5, 0)
    assert Reservation.objects.count() == 5
    _assert_stock_adds_up({product.pk: 5})


def test_multi_line_reservations_are_all_or_nothing_under_contention():
    products = [ProductFactory(stock__on_hand=4) for _ in range(3)]
    initial = {product.pk: 4 for product in products}
    rng = random.Random(7)
    # Every order wants two of the three products, listed in a random order, so a naive
    # implementation would lock rows in different orders and deadlock or oversell.
    orders = []
    for _ in range(24):
        chosen = rng.sample(products, 2)
        orders.append([LineRequest(product.pk, rng.randint(1, 2)) for product in chosen])

    def reserve(number: int) -> bool:
        try:
            reservation_reserve(order_id=f"order-{number}", lines=orders[number])
        except OutOfStockError:
            return False
        return True

    succeeded = _run_together(len(orders), reserve)

    assert any(succeeded)
    assert not all(succeeded)
    reserved_by_lines = Counter()
    for line in ReservationLine.objects.all():
        reserved_by_lines[line.product_id] += line.quantity
    for number, ok in enumerate(succeeded):
        lines = ReservationLine.objects.filter(reservation__order_id=f"order-{number}")
        assert lines.count() == (len(orders[number]) if ok else 0)
    for stock in Stock.objects.all():
        assert stock.reserved == reserved_by_lines[stock.product_id]
        assert stock.reserved <= 4
    _assert_stock_adds_up(initial)


def test_reserve_commit_and_release_racing_keep_every_unit_accounted_for():
    products = [ProductFactory(stock__on_hand=6) for _ in range(2)]
    initial = {product.pk: 6 for product in products}

    def shop(number: int) -> None:
        lines = [LineRequest(products[number % 2].pk, 1 + number % 3)]
        if number % 4 == 0:
            lines.append(LineRequest(products[(number + 1) % 2].pk, 1))
        order_id = f"order-{number}"
        try:
            reservation_reserve(order_id=order_id, lines=lines)
        except OutOfStockError:
            return
        if number % 3 == 0:
            reservation_commit(order_id=order_id)
        elif number % 3 == 1:
            reservation_release(order_id=order_id)

    _run_together(30, shop)

    _assert_stock_adds_up(initial)
    for stock in Stock.objects.all():
        active = ReservationLine.objects.filter(
            product_id=stock.product_id, reservation__status="active"
        )
        committed = ReservationLine.objects.filter(
            product_id=stock.product_id, reservation__status="committed"
        )
        assert stock.reserved == sum(line.quantity for line in active)
        assert stock.sold == sum(line.quantity for line in committed)


def test_the_same_order_sent_twice_at_once_reserves_once():
    product = ProductFactory(stock__on_hand=10)

    results = _run_together(
        8,
        lambda _: reservation_reserve(order_id="order-1", lines=[LineRequest(product.pk, 2)]),
    )

    assert sorted(created for _, created in results) == [False] * 7 + [True]
    assert len({reservation.pk for reservation, _ in results}) == 1
    stock = Stock.objects.get(product=product)
    assert (stock.on_hand, stock.reserved) == (8, 2)
