import hashlib
from datetime import timedelta

from auth.extensions import db
from auth.models import RefreshToken, RefreshTokenFamily, utcnow
from auth.services import refresh_tokens_purge, token_refresh, user_authenticate


def test_purge_deletes_expired_tokens_and_empty_sessions_only(app, user, password):
    expired = user_authenticate(email=user.email, password=password)
    active = user_authenticate(email=user.email, password=password)
    expired_hash = hashlib.sha256(expired.refresh_token.encode()).hexdigest()
    db.session.query(RefreshToken).filter_by(token_hash=expired_hash).update(
        {"expires_at": utcnow() - timedelta(seconds=1)}
    )
    db.session.commit()

    deleted = refresh_tokens_purge()

    assert deleted == 1
    assert db.session.query(RefreshTokenFamily).count() == 1
    assert db.session.query(RefreshToken).filter_by(token_hash=expired_hash).count() == 0
    assert token_refresh(refresh_token=active.refresh_token)


def test_the_purge_command(app):
    result = app.test_cli_runner().invoke(args=["refresh-tokens", "purge"])

    assert result.exit_code == 0
    assert result.output == "Deleted 0 expired refresh tokens.\n"
