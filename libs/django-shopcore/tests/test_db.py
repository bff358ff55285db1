"""AddIndexOnPostgresql: the index exists on PostgreSQL, and SQLite migrates without it.

The test project's migration 0001 adds a GIN index over a search vector with it, and 0002 adds
a column, which SQLite does by rebuilding the table from the migration state: both databases
of the run were migrated that way before any test started.
"""

import pytest
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.models import Index

from shopcore.db import AddIndexOnPostgresql

INDEX = "project_article_search"


def _indexes(alias: str) -> set[str]:
    with connections[alias].cursor() as cursor:
        constraints = connections[alias].introspection.get_constraints(cursor, "project_article")
    return {name for name, info in constraints.items() if info["index"]}


def _operation_and_states(alias: str):
    loader = MigrationLoader(connections[alias])
    migration = loader.get_migration("project", "0001_initial")
    operation = next(op for op in migration.operations if isinstance(op, AddIndexOnPostgresql))
    state = loader.project_state(("project", "0002_article_published"))
    return operation, state


@pytest.mark.django_db(databases=["default", "sqlite"])
def test_the_index_is_built_on_postgresql_only():
    assert connections["default"].vendor == "postgresql"
    assert INDEX in _indexes("default")
    assert INDEX not in _indexes("sqlite")


@pytest.mark.django_db(databases=["default", "sqlite"])
def test_the_index_stays_out_of_the_migration_state():
    _, state = _operation_and_states("default")

    assert state.models["project", "article"].options.get("indexes", []) == []


@pytest.mark.django_db
def test_migrating_backwards_drops_the_index_and_forwards_builds_it_again():
    connection = connections["default"]
    operation, state = _operation_and_states("default")

    with connection.schema_editor() as editor:
        operation.database_backwards("project", editor, state, state)
    assert INDEX not in _indexes("default")

    with connection.schema_editor() as editor:
        operation.database_forwards("project", editor, state, state)
    assert INDEX in _indexes("default")


def test_the_operation_describes_and_rebuilds_itself():
    operation = AddIndexOnPostgresql("article", Index(fields=["title"], name="by_title"))

    name, args, kwargs = operation.deconstruct()

    assert operation.describe() == "Create index by_title on article (PostgreSQL only)"
    assert name == "AddIndexOnPostgresql"
    rebuilt = AddIndexOnPostgresql(*args, **kwargs)
    assert (rebuilt.model_name, rebuilt.index) == ("article", operation.index)
    assert operation.reversible
