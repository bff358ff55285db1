"""Idempotency-Key on checkout: one order per key, the first answer replayed."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from orders.models import IdempotencyKey, Order, OutboxEvent
from tests.helpers import CARD_DECLINED, add_to_cart, checkout, checkout_body, error_code


@pytest.mark.django_db
def test_missing_key_is_400(customer, catalog):
    add_to_cart(customer, 1)

    response = customer.post("/api/orders/", checkout_body(), format="json")

    assert response.status_code == 400
    assert error_code(response) == "idempotency_key_required"
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_oversized_key_is_400(customer, catalog):
    add_to_cart(customer, 1)

    response = checkout(customer, key="k" * 256)

    assert response.status_code == 400
    assert error_code(response) == "idempotency_key_required"


@pytest.mark.django_db
def test_same_key_same_body_replays_the_first_answer_and_places_one_order(
    customer, catalog, idempotency_key
):
    add_to_cart(customer, 1, 2)
    first = checkout(customer, key=idempotency_key)
    add_to_cart(customer, 2, 1)  # the cart changes; the replay must not look at it

    second = checkout(customer, key=idempotency_key)

    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1
    assert OutboxEvent.objects.filter(type="order.placed").count() == 1


@pytest.mark.django_db
def test_a_decline_is_replayed_too(customer, catalog, idempotency_key):
    add_to_cart(customer, 1)
    first = checkout(customer, key=idempotency_key, card=CARD_DECLINED)

    second = checkout(customer, key=idempotency_key, card=CARD_DECLINED)

    assert first.status_code == second.status_code == 402
    assert second.content == first.content
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_key_order_and_spacing_of_the_body_do_not_matter(customer, catalog, idempotency_key):
    add_to_cart(customer, 1)
    body = checkout_body()
    reordered = {"payment": body["payment"], "shipping_address": body["shipping_address"]}
    checkout(customer, key=idempotency_key, body=body)

    second = checkout(customer, key=idempotency_key, body=reordered)

    assert second.status_code == 201
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_same_key_different_body_is_422(customer, catalog, idempotency_key):
    add_to_cart(customer, 1)
    checkout(customer, key=idempotency_key)
    other = checkout_body()
    other["shipping_address"]["city"] = "Hamburg"

    response = checkout(customer, key=idempotency_key, body=other)

    assert response.status_code == 422
    assert error_code(response) == "idempotency_key_reused"
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_scoped_per_user(customer, other_customer, catalog, idempotency_key):
    add_to_cart(customer, 1)
    add_to_cart(other_customer, 1)

    first = checkout(customer, key=idempotency_key)
    second = checkout(other_customer, key=idempotency_key)

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


@pytest.mark.django_db
def test_same_key_while_the_first_request_runs_is_409(customer, catalog, idempotency_key):
    add_to_cart(customer, 1)
    IdempotencyKey.objects.create(
        user_id=1,
        key=idempotency_key,
        fingerprint=_fingerprint(checkout_body()),
        locked_until=timezone.now() + timedelta(seconds=60),
        expires_at=timezone.now() + timedelta(days=1),
    )

    response = checkout(customer, key=idempotency_key)

    assert response.status_code == 409
    assert error_code(response) == "idempotency_in_progress"
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_a_claim_whose_request_died_is_taken_over_after_its_lease(
    customer, catalog, idempotency_key
):
    add_to_cart(customer, 1)
    IdempotencyKey.objects.create(
        user_id=1,
        key=idempotency_key,
        fingerprint=_fingerprint(checkout_body()),
        locked_until=timezone.now() - timedelta(seconds=1),
        expires_at=timezone.now() + timedelta(days=1),
    )

    response = checkout(customer, key=idempotency_key)

    assert response.status_code == 201
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_a_taken_over_checkout_continues_the_order_its_first_attempt_created(
    customer, catalog, idempotency_key, monkeypatch
):
    """The first attempt reserved and created the order, then died before paying."""
    from orders import services

    add_to_cart(customer, 1, 2)

    def die(**kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(services, "payment_charge", die)
    with pytest.raises(SystemExit):
        checkout(customer, key=idempotency_key)
    monkeypatch.undo()
    order = Order.objects.get()
    assert order.status == "pending_payment"
    # The claim was kept with its lease ended: the retry resumes instead of starting over.
    response = checkout(customer, key=idempotency_key)

    assert response.status_code == 201
    assert response.json()["id"] == str(order.id)
    assert Order.objects.count() == 1
    assert len(catalog.reservations) == 1
    assert catalog.products[1].reserved == 2


@pytest.mark.django_db
def test_keys_are_kept_for_a_day_and_then_pruned(customer, catalog, idempotency_key):
    from orders.idempotency import idempotency_keys_prune

    add_to_cart(customer, 1)
    checkout(customer, key=idempotency_key)
    record = IdempotencyKey.objects.get()
    assert record.expires_at - record.created_at >= timedelta(hours=24)

    assert idempotency_keys_prune() == 0
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert idempotency_keys_prune() == 1
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_with_the_same_key_place_one_order(client_for, catalog, idempotency_key):
    customer = client_for(1)
    add_to_cart(customer, 1, 1)
    catalog.delay_seconds = 0.2  # keep the first request busy while the others arrive
    results: list = []
    barrier = threading.Barrier(8)

    def attempt() -> None:
        client = client_for(1)
        barrier.wait()
        try:
            results.append(checkout(client, key=idempotency_key))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(response.status_code for response in results)
    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}
    assert all(
        error_code(response) == "idempotency_in_progress"
        for response in results
        if response.status_code == 409
    )
    created = {response.json()["id"] for response in results if response.status_code == 201}
    assert len(created) == 1
    assert Order.objects.count() == 1
    assert len(catalog.reservations) == 1
    catalog.delay_seconds = 0
    # Once it has finished, the same key answers with the stored order.
    assert checkout(customer, key=idempotency_key).json()["id"] in created


def _fingerprint(body: dict) -> str:
    from orders.idempotency import request_fingerprint

    return request_fingerprint(body)
