from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from auth.extensions import db


def test_the_migrations_build_exactly_the_models(app):
    """A model change without a migration fails here, not in production."""
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)

    assert differences == []
