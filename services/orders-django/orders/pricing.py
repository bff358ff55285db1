"""How an order's amounts are computed, on the server only, in Decimal.

- Unit prices come from the catalog's reservation answer at checkout, never from the client,
  and are copied onto the order lines (a snapshot: later price changes do not touch the order).
- Shipping: a flat SHIPPING_FLAT_FEE (4.90 EUR by default), free when the subtotal reaches
  SHIPPING_FREE_FROM (50.00 EUR by default).
- Tax: catalog prices are gross (VAT included), so nothing is added on top and `tax` is 0.00.
- total = subtotal + shipping + tax, rounded half-up to the cent (a database constraint checks it).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | str | int) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    shipping: Decimal
    tax: Decimal
    total: Decimal


def line_total(*, unit_price: Decimal, quantity: int) -> Decimal:
    return money(unit_price * quantity)


def order_totals(line_totals: Iterable[Decimal]) -> Totals:
    subtotal = money(sum(line_totals, ZERO))
    shipping = shipping_for(subtotal)
    tax = ZERO
    return Totals(subtotal=subtotal, shipping=shipping, tax=tax, total=subtotal + shipping + tax)


def shipping_for(subtotal: Decimal) -> Decimal:
    if subtotal >= money(settings.SHIPPING_FREE_FROM):
        return ZERO
    return money(settings.SHIPPING_FLAT_FEE)
