import pytest

from catalog.selectors import category_tree_get, category_tree_with_counts
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    home = CategoryFactory(slug="home", name="Home", position=1)
    lighting = CategoryFactory(slug="lighting", name="Lighting", parent=home, position=2)
    lamps = CategoryFactory(slug="lamps", name="Lamps", parent=lighting)
    textiles = CategoryFactory(slug="textiles", name="Textiles", parent=home, position=1)
    garden = CategoryFactory(slug="garden", name="Garden", position=0)
    return {
        "home": home,
        "lighting": lighting,
        "lamps": lamps,
        "textiles": textiles,
        "garden": garden,
    }


def test_descendants_path_and_department(tree):
    categories = category_tree_get()

    assert categories.descendant_ids(tree["home"].pk) == {
        tree[slug].pk for slug in ("home", "lighting", "lamps", "textiles")
    }
    assert [node.slug for node in categories.path(tree["lamps"].pk)] == [
        "home",
        "lighting",
        "lamps",
    ]
    assert categories.department(tree["lamps"].pk).slug == "home"


def test_one_query_for_the_whole_tree(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        categories = category_tree_get()
        categories.descendant_ids(tree["home"].pk)
        categories.path(tree["lamps"].pk)


def test_counts_include_subcategories_and_only_active_products(tree, django_assert_num_queries):
    ProductFactory(category=tree["lamps"])
    ProductFactory(category=tree["lighting"])
    ProductFactory(category=tree["textiles"])
    ProductFactory(category=tree["textiles"], is_active=False)

    with django_assert_num_queries(2):
        roots = category_tree_with_counts()

    assert [(root.slug, root.product_count) for root in roots] == [("garden", 0), ("home", 3)]
    home = roots[1]
    assert [(child.slug, child.product_count) for child in home.children] == [
        ("textiles", 1),
        ("lighting", 2),
    ]
