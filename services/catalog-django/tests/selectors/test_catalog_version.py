"""catalog_version_get, on PostgreSQL and, through the `database` fixture, on SQLite."""

import pytest

from catalog.models import CatalogVersion
from catalog.selectors import CatalogState, catalog_version_get
from catalog.services import catalog_changed

pytestmark = pytest.mark.django_db(databases=["default", "sqlite"])


def test_before_any_write_the_version_is_zero(database):
    assert catalog_version_get() == CatalogState(version=0, changed_at=None)


def test_reads_what_the_writes_bumped(database):
    catalog_changed()
    catalog_changed()

    state = catalog_version_get()

    assert state == CatalogState(version=2, changed_at=CatalogVersion.objects.get().changed_at)
    assert state.changed_at.utcoffset() is not None
