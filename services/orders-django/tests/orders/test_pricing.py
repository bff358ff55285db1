"""Order amounts: Decimal, server-side, shipping rule, no tax on top of gross prices."""

from decimal import Decimal

import pytest

from orders.pricing import line_total, order_totals


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["10.00"], ("10.00", "4.90", "0.00", "14.90")),
        (["49.99"], ("49.99", "4.90", "0.00", "54.89")),
        (["50.00"], ("50.00", "0.00", "0.00", "50.00")),
        (["0.10", "0.20"], ("0.30", "4.90", "0.00", "5.20")),
    ],
)
def test_totals(lines, expected):
    totals = order_totals(Decimal(value) for value in lines)

    assert (
        tuple(str(value) for value in (totals.subtotal, totals.shipping, totals.tax, totals.total))
        == expected
    )
    assert totals.total == totals.subtotal + totals.shipping + totals.tax


def test_the_shipping_rule_comes_from_settings(settings):
    settings.SHIPPING_FLAT_FEE = Decimal("3.00")
    settings.SHIPPING_FREE_FROM = Decimal("20.00")

    assert order_totals([Decimal("19.99")]).shipping == Decimal("3.00")
    assert order_totals([Decimal("20.00")]).shipping == Decimal("0.00")


def test_line_total_is_exact():
    assert line_total(unit_price=Decimal("0.10"), quantity=3) == Decimal("0.30")
    assert line_total(unit_price=Decimal("19.99"), quantity=7) == Decimal("139.93")
