"""Reads of the catalog. Each returns data or a lazy queryset; none of them writes.

Lists cost a constant number of queries whatever their length: related rows come in the same
query (select_related, or joined columns of `.values()`), and the category tree, a small table,
is read once and walked in memory instead of being queried level by level.

The public product reads are the hottest code of the service, so they return plain rows
(`.values()` dicts) instead of model instances: building a model instance, with its signals and
related objects, costs more than everything else the page needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections, router
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from catalog.models import (
    SEARCH_CONFIG,
    CatalogVersion,
    Category,
    DeadLetter,
    Product,
    Reservation,
    product_search_vector,
)
from shopcore.exceptions import InvalidInputError, NotFoundError

ORDERINGS: dict[str, tuple[str, ...]] = {
    "price": ("price", "id"),
    "-price": ("-price", "id"),
    "name": ("name", "id"),
    "-name": ("-name", "id"),
    "newest": ("-created_at", "-id"),
}
DEFAULT_ORDERING = "newest"


# -- the category tree ---------------------------------------------------------------------------


@dataclass
class CategoryNode:
    id: int
    slug: str
    name: str
    parent_id: int | None
    position: int
    children: list[CategoryNode] = field(default_factory=list)
    product_count: int = 0


class CategoryTree:
    """All categories in memory: descendants, ancestors and the department of any node."""

    def __init__(self, categories: list[CategoryNode]) -> None:
        self.by_id = {node.id: node for node in categories}
        self.by_slug = {node.slug: node for node in categories}
        self.roots: list[CategoryNode] = []
        for node in sorted(categories, key=lambda n: (n.position, n.name)):
            parent = self.by_id.get(node.parent_id) if node.parent_id else None
            (parent.children if parent else self.roots).append(node)

    def descendant_ids(self, category_id: int) -> set[int]:
        """The category and everything below it."""
        found, stack = set(), [self.by_id[category_id]]
        while stack:
            node = stack.pop()
            if node.id not in found:
                found.add(node.id)
                stack.extend(node.children)
        return found

    def path(self, category_id: int) -> list[CategoryNode]:
        """From the top-level category down to this one."""
        path, node, seen = [], self.by_id.get(category_id), set()
        while node is not None and node.id not in seen:
            seen.add(node.id)
            path.append(node)
            node = self.by_id.get(node.parent_id) if node.parent_id else None
        return list(reversed(path))

    def department(self, category_id: int) -> CategoryNode:
        return self.path(category_id)[0]


def category_tree_get() -> CategoryTree:
    """One query for the whole tree."""
    rows = Category.objects.values_list("id", "slug", "name", "parent_id", "position")
    return CategoryTree([CategoryNode(*row) for row in rows])


def category_tree_with_counts() -> list[CategoryNode]:
    """The tree for the shop's navigation; counts include the active products of subcategories.

    Two queries: the categories, and the active products per category.
    """
    tree = category_tree_get()
    direct = dict(
        Product.objects.filter(is_active=True)
        .values("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    )

    def total(node: CategoryNode) -> int:
        node.product_count = direct.get(node.id, 0) + sum(total(child) for child in node.children)
        return node.product_count

    for root in tree.roots:
        total(root)
    return tree.roots


# -- products ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductFilters:
    category: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = None
    q: str | None = None
    ids: list[int] | None = None
    ordering: str | None = None
    is_active: bool | None = True  # None: active and inactive (the admin list)


def product_list(*, filters: ProductFilters) -> QuerySet[Product]:
    """Products matching the filters, ordered; a lazy queryset ready to paginate.

    With `q`, PostgreSQL's full-text search ranks the matches (name above description) unless
    another ordering is asked for; on SQLite every word must appear in the name or description.
    """
    queryset = Product.objects.select_related("category", "stock")
    if filters.is_active is not None:
        queryset = queryset.filter(is_active=filters.is_active)
    if filters.category:
        tree = category_tree_get()
        node = tree.by_slug.get(filters.category)
        if node is None:
            raise InvalidInputError(
                details={"category": [f"There is no category '{filters.category}'."]}
            )
        queryset = queryset.filter(category_id__in=tree.descendant_ids(node.id))
    if filters.min_price is not None:
        queryset = queryset.filter(price__gte=filters.min_price)
    if filters.max_price is not None:
        queryset = queryset.filter(price__lte=filters.max_price)
    if filters.in_stock is True:
        queryset = queryset.filter(stock__on_hand__gt=0)
    elif filters.in_stock is False:
        queryset = queryset.filter(Q(stock__on_hand=0) | Q(stock__isnull=True))
    if filters.ids is not None:
        queryset = queryset.filter(id__in=filters.ids)

    ordering = ORDERINGS[filters.ordering or DEFAULT_ORDERING]
    if filters.q:
        queryset, ranked = _search(queryset, filters.q)
        if ranked and not filters.ordering:
            ordering = ("-rank", "id")
    return queryset.order_by(*ordering)


def _search(queryset: QuerySet[Product], text: str) -> tuple[QuerySet[Product], bool]:
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        vector = product_search_vector()
        # The filter repeats the indexed expression, so the GIN index answers it.
        queryset = queryset.alias(document=vector).filter(document=query)
        return queryset.annotate(rank=SearchRank(vector, query)), True
    for word in text.split()[:10]:
        queryset = queryset.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return queryset, False


# The columns of the public reads' rows: the product, its category and its units on hand.
PRODUCT_SUMMARY_COLUMNS = (
    "id",
    "sku",
    "slug",
    "name",
    "price",
    "currency",
    "images",
    "is_active",
    "category_id",
    "category__slug",
    "category__name",
    "stock__on_hand",
)
PRODUCT_DETAIL_COLUMNS = (
    *PRODUCT_SUMMARY_COLUMNS,
    "description",
    "attributes",
    "created_at",
    "updated_at",
)


def product_summary_rows(*, filters: ProductFilters) -> QuerySet[Product, dict[str, Any]]:
    """product_list as plain rows of PRODUCT_SUMMARY_COLUMNS; still one query for a page."""
    return product_list(filters=filters).values(*PRODUCT_SUMMARY_COLUMNS)


def product_get(*, key: str, active_only: bool = True) -> Product:
    """A product by id (all digits) or by slug, with its category and stock."""
    queryset = Product.objects.select_related("category", "stock")
    product = _by_key(queryset, key, active_only=active_only).first()
    if product is None:
        raise NotFoundError(f"There is no product '{key}'.")
    return product


def product_detail_row(*, key: str) -> dict[str, Any]:
    """An active product by id or slug as one plain row of PRODUCT_DETAIL_COLUMNS."""
    rows = Product.objects.values(*PRODUCT_DETAIL_COLUMNS)
    row = _by_key(rows, key, active_only=True).first()
    if row is None:
        raise NotFoundError(f"There is no product '{key}'.")
    return row


def _by_key(queryset: QuerySet, key: str, *, active_only: bool) -> QuerySet:
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.filter(**{"id": int(key)} if key.isdigit() else {"slug": key})


def product_get_by_slug(*, slug: str) -> Product:
    """Any product, active or not (for its images: old orders still show them)."""
    product = Product.objects.select_related("category").filter(slug=slug).first()
    if product is None:
        raise NotFoundError(f"There is no product '{slug}'.")
    return product


# -- cache validators -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogState:
    version: int
    changed_at: datetime | None


def catalog_version_get() -> CatalogState:
    """The counter every write bumps: what ETags of catalog reads are made of.

    Every public read starts with it, most end with it (a 304, or a body kept for this version),
    so it is one plain statement: building it with the ORM would cost more than running it.
    """
    connection = connections[router.db_for_read(CatalogVersion)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT version, changed_at FROM catalog_catalogversion WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return CatalogState(version=0, changed_at=None)
    version, changed_at = row
    if timezone.is_naive(changed_at):  # SQLite keeps the time without its zone
        changed_at = timezone.make_aware(changed_at, connection.timezone)
    return CatalogState(version=version, changed_at=changed_at)


# -- reservations --------------------------------------------------------------------------------


def reservation_get(*, order_id: str) -> Reservation:
    """A reservation with its lines and their products (three queries)."""
    reservation = (
        Reservation.objects.prefetch_related("lines__product").filter(order_id=order_id).first()
    )
    if reservation is None:
        raise NotFoundError(f"There is no reservation for order '{order_id}'.")
    return reservation


def dead_letter_list(*, include_replayed: bool = False) -> QuerySet[DeadLetter]:
    """Events that could not be handled, oldest first; those not replayed yet unless asked."""
    letters = DeadLetter.objects.order_by("id")
    return letters if include_replayed else letters.filter(replayed_at__isnull=True)
