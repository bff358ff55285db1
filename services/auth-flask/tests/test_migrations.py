import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from auth.extensions import db


def test_the_migrations_build_exactly_the_models(app):
    """A model change without a migration fails here, not in production."""
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)

    assert differences == []


def test_the_migrations_run_down_and_up_on_sqlite_the_development_database(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'auth.sqlite3'}")
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]

        upgrade()

        tables = set(sa.inspect(db.engine).get_table_names())
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert {"users", "refresh_tokens", "refresh_token_families", "outbox_events"} <= tables
    assert differences == []
