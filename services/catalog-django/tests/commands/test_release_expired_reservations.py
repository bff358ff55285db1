import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.models import Reservation, Stock
from tests.factories import ProductFactory, ReservationFactory, ReservationLineFactory

pytestmark = pytest.mark.django_db


def test_expires_overdue_reservations_and_returns_their_stock():
    product = ProductFactory(stock__on_hand=3, stock__reserved=2)
    overdue = ReservationFactory(expires_at=timezone.now() - timedelta(minutes=1))
    ReservationLineFactory(reservation=overdue, product=product, quantity=2)
    current = ReservationFactory()
    out = io.StringIO()

    call_command("release_expired_reservations", stdout=out)

    assert out.getvalue().strip() == "Expired 1 reservation(s)."
    overdue.refresh_from_db()
    current.refresh_from_db()
    assert (overdue.status, current.status) == (
        Reservation.Status.EXPIRED,
        Reservation.Status.ACTIVE,
    )
    stock = Stock.objects.get(product=product)
    assert (stock.on_hand, stock.reserved) == (5, 0)
