"""Many customers racing for the last units: the catalog decides, nobody oversells."""

import threading

import pytest
from django.db import connection

from orders.models import Order, OutboxEvent
from orders.state import Status
from tests.helpers import add_to_cart, checkout, error_code


@pytest.mark.django_db(transaction=True)
def test_thirty_checkouts_for_five_units_give_five_paid_orders(client_for, catalog):
    catalog.add_product(7, price="19.99", on_hand=5)
    customers = [client_for(user_id) for user_id in range(100, 130)]
    for client in customers:
        add_to_cart(client, 7, 1)
    results: list = []
    barrier = threading.Barrier(len(customers))

    def attempt(client) -> None:
        barrier.wait()
        try:
            results.append(checkout(client))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(client,)) for client in customers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = [response.status_code for response in results]
    assert statuses.count(201) == 5
    assert statuses.count(409) == 25
    assert all(
        error_code(response) == "out_of_stock"
        for response in results
        if response.status_code == 409
    )
    product = catalog.products[7]
    assert product.on_hand == 0
    assert product.on_hand + product.reserved + product.sold == product.initial == 5
    assert Order.objects.filter(status=Status.PAID).count() == 5
    assert Order.objects.count() == 5  # out of stock leaves no order behind
    assert OutboxEvent.objects.filter(type="order.paid").count() == 5
