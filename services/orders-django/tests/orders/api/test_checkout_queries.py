"""The database work of the checkout path, pinned: whoever adds a query or a transaction to it
changes the number here, on purpose and in review."""

import pytest

from tests.helpers import add_to_cart, checkout

# Real transactions (BEGIN ... COMMIT), as in production, not the savepoints of a test wrapped
# in one: each of them counts as statements here.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_paid_checkout_takes_nineteen_statements(customer, catalog, django_assert_num_queries):
    add_to_cart(customer, 1, 2)
    add_to_cart(customer, 2, 1)

    # Claiming the key (3: its own transaction); reading the cart (1); the order with its lines,
    # history and order.placed (6); paid with its history, order.paid and the ordered products
    # out of the cart (6); the answer's lines and history (2); the answer kept for replays (1).
    with django_assert_num_queries(19):
        response = checkout(customer)

    assert response.status_code == 201


def test_adding_a_new_product_to_the_cart_takes_five_statements(
    customer, catalog, django_assert_num_queries
):
    # Reading the cart (1); counting its lines and inserting the new one (4, a transaction).
    with django_assert_num_queries(5):
        add_to_cart(customer, 1, 2)


def test_adding_to_a_line_in_the_cart_takes_five_statements(
    customer, catalog, django_assert_num_queries
):
    add_to_cart(customer, 1, 1)

    # Reading the cart (1); locking the line and updating it (4, a transaction).
    with django_assert_num_queries(5):
        response = add_to_cart(customer, 1, 2)

    assert response.json()["items"][0]["quantity"] == 3
