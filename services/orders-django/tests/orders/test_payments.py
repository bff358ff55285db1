"""The mock payment provider and its test cards."""

from decimal import Decimal

import pytest

from orders.payments import (
    CARD_DECLINED,
    CARD_PAYS,
    CARD_PROVIDER_UNAVAILABLE,
    Card,
    PaymentDeclinedError,
    PaymentProviderUnavailableError,
    luhn_valid,
    payment_charge,
)


def _card(number: str) -> Card:
    return Card(number=number, expiry="12/39", cvc="123")


def test_the_paying_card_pays_with_an_id_stable_per_reference():
    first = payment_charge(
        amount=Decimal("9.99"), currency="EUR", card=_card(CARD_PAYS), reference="o-1"
    )
    again = payment_charge(
        amount=Decimal("9.99"), currency="EUR", card=_card(CARD_PAYS), reference="o-1"
    )
    other = payment_charge(
        amount=Decimal("9.99"), currency="EUR", card=_card(CARD_PAYS), reference="o-2"
    )

    assert first.id == again.id != other.id
    assert first.id.startswith("pay_")


@pytest.mark.parametrize("number", [CARD_DECLINED, "5555555555554444"])
def test_the_declined_card_and_unknown_cards_are_declined(number):
    with pytest.raises(PaymentDeclinedError):
        payment_charge(amount=Decimal("1.00"), currency="EUR", card=_card(number), reference="o")


def test_the_unavailable_card_is_retried_then_gives_up(settings, monkeypatch):
    settings.PAYMENT_MAX_ATTEMPTS = 4
    sleeps = []
    monkeypatch.setattr("orders.payments.time.sleep", sleeps.append)
    settings.PAYMENT_RETRY_DELAY_SECONDS = 0.1

    with pytest.raises(PaymentProviderUnavailableError):
        payment_charge(
            amount=Decimal("1.00"),
            currency="EUR",
            card=_card(CARD_PROVIDER_UNAVAILABLE),
            reference="o",
        )

    assert sleeps == [0.1, 0.2, 0.4]  # exponential, and no wait after the last attempt


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        (CARD_PAYS, True),
        (CARD_DECLINED, True),
        (CARD_PROVIDER_UNAVAILABLE, True),
        ("4242424242424241", False),
    ],
)
def test_luhn(number, valid):
    assert luhn_valid(number) is valid


def test_a_card_never_shows_its_number():
    assert "4242424242424242" not in repr(_card(CARD_PAYS))
    assert "4242" in repr(_card(CARD_PAYS))
