"""Registration writes the account and its `user.registered` event in one transaction."""

import pytest
import sqlalchemy as sa

from auth import services
from auth.extensions import db
from auth.models import OutboxEvent, User

STRONG = "Analytical-Engine-1843"


def _committed_count(engine: sa.Engine, model: type[db.Model]) -> int:
    """Rows another connection sees: what was committed, whatever this session holds."""
    with engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.count()).select_from(model.__table__))


def test_register_writes_the_user_and_exactly_one_event(app, migrated_engine):
    result = services.user_register(email="ada@example.com", password=STRONG, name="Ada")

    assert _committed_count(migrated_engine, User) == 1
    assert _committed_count(migrated_engine, OutboxEvent) == 1
    event = db.session.query(OutboxEvent).one()
    assert event.type == "user.registered"
    assert event.payload["data"]["user_id"] == result.user.id


def test_a_failure_after_the_user_insert_leaves_neither_user_nor_event(
    app, migrated_engine, monkeypatch
):
    written_before_the_failure = {}

    def signing_fails(**_claims: object) -> None:
        # The last step before the commit: the account and its event are in the transaction.
        written_before_the_failure["users"] = db.session.query(User).count()
        written_before_the_failure["events"] = db.session.query(OutboxEvent).count()
        raise RuntimeError("the signing key is unreadable")

    monkeypatch.setattr(services, "user_token_encode", signing_fails)

    with pytest.raises(RuntimeError, match="signing key"):
        services.user_register(email="ada@example.com", password=STRONG, name="Ada")

    assert written_before_the_failure == {"users": 1, "events": 1}
    assert _committed_count(migrated_engine, User) == 0
    assert _committed_count(migrated_engine, OutboxEvent) == 0
    db.session.rollback()  # what the end of the request does with the failed transaction
    assert db.session.query(User).count() == 0
    assert db.session.query(OutboxEvent).count() == 0
