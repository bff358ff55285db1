"""product_list on PostgreSQL and, through the `database` fixture, again on SQLite.

Search is where the two differ: PostgreSQL ranks with full-text search (stemmed, name above
description), SQLite falls back to matching every word.
"""

from decimal import Decimal

import pytest
from django.db import connection

from catalog.selectors import ProductFilters, product_list
from shopcore.exceptions import InvalidInputError
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db(databases=["default", "sqlite"])


def _names(**filters) -> list[str]:
    return [product.name for product in product_list(filters=ProductFilters(**filters))]


def test_only_active_products_by_default(database):
    ProductFactory(name="On sale")
    ProductFactory(name="Withdrawn", is_active=False)

    assert _names() == ["On sale"]
    assert sorted(_names(is_active=None)) == ["On sale", "Withdrawn"]


def test_category_includes_every_level_below_it(database):
    home = CategoryFactory(slug="home")
    lighting = CategoryFactory(slug="lighting", parent=home)
    lamps = CategoryFactory(slug="lamps", parent=lighting)
    garden = CategoryFactory(slug="garden")
    ProductFactory(name="Rug", category=home)
    ProductFactory(name="Pendant", category=lighting)
    ProductFactory(name="Desk lamp", category=lamps)
    ProductFactory(name="Spade", category=garden)

    assert sorted(_names(category="home")) == ["Desk lamp", "Pendant", "Rug"]
    assert sorted(_names(category="lighting")) == ["Desk lamp", "Pendant"]
    assert _names(category="garden") == ["Spade"]


def test_unknown_category_is_invalid(database):
    with pytest.raises(InvalidInputError):
        _names(category="nowhere")


def test_price_range_is_inclusive(database):
    for price in ("5.00", "10.00", "15.00", "20.00"):
        ProductFactory(name=price, price=Decimal(price))

    assert _names(min_price=Decimal(10), max_price=Decimal(15), ordering="price") == [
        "10.00",
        "15.00",
    ]


def test_in_stock(database):
    ProductFactory(name="Plenty", stock__on_hand=3)
    ProductFactory(name="Sold out", stock__on_hand=0, stock__reserved=2)

    assert _names(in_stock=True) == ["Plenty"]
    assert _names(in_stock=False) == ["Sold out"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("price", ["B cheap", "A middle", "C dear"]),
        ("-price", ["C dear", "A middle", "B cheap"]),
        ("name", ["A middle", "B cheap", "C dear"]),
        ("-name", ["C dear", "B cheap", "A middle"]),
        ("newest", ["C dear", "B cheap", "A middle"]),
    ],
)
def test_orderings(database, ordering, expected):
    ProductFactory(name="A middle", price=Decimal("20.00"))
    ProductFactory(name="B cheap", price=Decimal("10.00"))
    ProductFactory(name="C dear", price=Decimal("30.00"))

    assert _names(ordering=ordering) == expected


def test_ids(database):
    first, _, third = ProductFactory.create_batch(3)

    assert sorted(_names(ids=[first.pk, third.pk])) == sorted([first.name, third.name])


def test_search_finds_words_in_name_and_description(database):
    ProductFactory(name="Copper Saucepan", description="Heats evenly.")
    ProductFactory(name="Oak Desk Mat", description="Protects a copper desk top.")
    ProductFactory(name="Yoga Block", description="Cork.")

    assert sorted(_names(q="copper")) == ["Copper Saucepan", "Oak Desk Mat"]
    assert _names(q="copper saucepan") == ["Copper Saucepan"]
    assert _names(q="marble") == []


def test_search_combines_with_filters(database):
    kitchen = CategoryFactory(slug="kitchen")
    ProductFactory(name="Copper Saucepan", category=kitchen)
    ProductFactory(name="Copper Lamp")

    assert _names(q="copper", category="kitchen") == ["Copper Saucepan"]


def test_postgresql_ranks_name_matches_first_and_stems_words():
    ProductFactory(name="Walnut Tray", description="Pairs with lamps and candles.")
    ProductFactory(name="Brass Lamp", description="A warm light.")
    ProductFactory(name="Lamplighter Poster", description="Vintage print.")

    # "lamp" finds "lamps" (stemmed) but not "Lamplighter" (another word).
    assert _names(q="lamp") == ["Brass Lamp", "Walnut Tray"]
    assert _names(q="lamp -brass") == ["Walnut Tray"]


def test_postgresql_search_uses_the_gin_index():
    ProductFactory.create_batch(3)
    queryset = product_list(filters=ProductFilters(q="lamp"))

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()

    assert "catalog_product_search" in plan


def test_sqlite_matches_substrings_of_every_word(on_sqlite):
    ProductFactory(name="Walnut Tray", description="Pairs with lamps and candles.")
    ProductFactory(name="Brass Lamp", description="A warm light.")
    ProductFactory(name="Lamplighter Poster", description="Vintage print.")

    assert _names(q="LAMP", ordering="name") == ["Brass Lamp", "Lamplighter Poster", "Walnut Tray"]
    assert _names(q="lamp warm") == ["Brass Lamp"]
