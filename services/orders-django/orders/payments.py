"""The mock payment provider: a stand-in for a card processor, living inside this service.

It behaves like a real provider in the ways checkout has to cope with, and is driven by the
documented test cards:

| card number        | outcome                                                         |
| ------------------ | --------------------------------------------------------------- |
| 4242424242424242   | paid                                                            |
| 4000000000000002   | declined (final: the customer must use another card)            |
| 4000000000009995   | the provider is unavailable (transient: worth retrying, fails)  |
| any other number   | declined: the mock knows no real cards                          |

Charges are idempotent per `reference` (checkout passes the order id), as real providers'
idempotency keys are, so a retried or resumed checkout never charges twice.
"""

import hashlib
import logging
import time
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

logger = logging.getLogger(__name__)

CARD_PAYS = "4242424242424242"
CARD_DECLINED = "4000000000000002"
CARD_PROVIDER_UNAVAILABLE = "4000000000009995"


@dataclass(frozen=True)
class Card:
    number: str
    expiry: str
    cvc: str

    def __repr__(self) -> str:
        # Card data must never reach a log line or a traceback in full.
        return f"Card(number=****{self.number[-4:]})"


@dataclass(frozen=True)
class Payment:
    id: str
    amount: Decimal
    currency: str


class PaymentDeclinedError(Exception):
    """The provider refused the card; retrying with the same card will not help."""


class PaymentProviderUnavailableError(Exception):
    """The provider could not be reached or failed; the same charge may succeed later."""


class MockPaymentProvider:
    def charge(self, *, amount: Decimal, currency: str, card: Card, reference: str) -> Payment:
        if card.number == CARD_PROVIDER_UNAVAILABLE:
            raise PaymentProviderUnavailableError("The payment provider is unavailable.")
        if card.number != CARD_PAYS:
            raise PaymentDeclinedError("The card was declined.")
        return Payment(id=_payment_id(reference), amount=amount, currency=currency)

    def refund(self, *, payment_id: str, amount: Decimal, currency: str) -> str:
        return "re_" + hashlib.sha256(payment_id.encode()).hexdigest()[:24]


def _payment_id(reference: str) -> str:
    return "pay_" + hashlib.sha256(reference.encode()).hexdigest()[:24]


provider = MockPaymentProvider()


def payment_charge(*, amount: Decimal, currency: str, card: Card, reference: str) -> Payment:
    """Charge once, retrying only transient provider failures, a bounded number of times.

    The retries happen inside the checkout request, so their total delay stays far below the
    gunicorn timeout: PAYMENT_MAX_ATTEMPTS attempts, waiting PAYMENT_RETRY_DELAY_SECONDS,
    doubled after each failure.
    """
    attempts = settings.PAYMENT_MAX_ATTEMPTS
    delay = settings.PAYMENT_RETRY_DELAY_SECONDS
    for attempt in range(1, attempts + 1):
        try:
            return provider.charge(amount=amount, currency=currency, card=card, reference=reference)
        except PaymentProviderUnavailableError:
            logger.warning(
                "payment provider unavailable",
                extra={"reference": reference, "attempt": attempt, "max_attempts": attempts},
            )
            if attempt == attempts:
                raise
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover


def payment_refund(*, payment_id: str, amount: Decimal, currency: str) -> str:
    return provider.refund(payment_id=payment_id, amount=amount, currency=currency)


def luhn_valid(number: str) -> bool:
    """The check digit every card number carries; catches most typing mistakes."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0
