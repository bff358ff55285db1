"""Concurrent refreshes of one token on PostgreSQL: the conditional UPDATE lets one through."""

import threading

import pytest

from auth.errors import TokenInvalid
from auth.extensions import db
from auth.models import RefreshToken
from auth.services import token_refresh, user_authenticate

RACERS = 8


def test_of_concurrent_refreshes_of_one_token_exactly_one_succeeds(app, user, password):
    token = user_authenticate(email=user.email, password=password).refresh_token
    db.session.remove()
    barrier = threading.Barrier(RACERS)
    outcomes: list[object] = []
    lock = threading.Lock()

    def race() -> None:
        with app.app_context():
            barrier.wait()
            try:
                outcome: object = token_refresh(refresh_token=token).refresh_token
            except TokenInvalid as exc:
                outcome = exc
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=race) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [outcome for outcome in outcomes if isinstance(outcome, str)]
    losers = [outcome for outcome in outcomes if isinstance(outcome, TokenInvalid)]
    assert len(outcomes) == RACERS
    assert len(winners) == 1
    assert len(losers) == RACERS - 1
    assert db.session.query(RefreshToken).count() == 2  # the spent token and one successor


def test_a_token_is_single_use(app, user, password):
    token = user_authenticate(email=user.email, password=password).refresh_token
    token_refresh(refresh_token=token)

    with pytest.raises(TokenInvalid):
        token_refresh(refresh_token=token)
