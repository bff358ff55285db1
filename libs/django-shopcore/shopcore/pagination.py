"""Page-number pagination with a bounded page size; bad parameters are a 400, not a guess.

The envelope is the same for every list in every service:
`{count, page, page_size, total_pages, next, previous, results}`. `next` and `previous` are
relative URLs (path and query), so they stay right behind the gateway.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

from shopcore.exceptions import NotFoundError

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 24


class PageParams(serializers.Serializer):
    """Query parameters of every list. Unknown query parameters are ignored (cache busters)."""

    page = serializers.IntegerField(min_value=1, default=1)
    page_size = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE
    )


class PageOutput(serializers.Serializer):
    """The envelope; subclasses declare `results`."""

    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)


@dataclass(frozen=True)
class Page:
    items: Sequence[Any]
    count: int
    page: int
    page_size: int

    @property
    def total_pages(self) -> int:
        return math.ceil(self.count / self.page_size)

    @property
    def has_next(self) -> bool:
        return self.page < self.total_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def paginate(queryset: QuerySet, *, page: int, page_size: int) -> Page:
    """Two queries whatever the page size: one COUNT and one LIMIT/OFFSET."""
    count = queryset.count()
    last_page = max(1, math.ceil(count / page_size))
    if page > last_page:
        raise NotFoundError(
            f"Page {page} does not exist; the last page is {last_page}.",
            details={"page": [f"The last page is {last_page}."]},
        )
    start = (page - 1) * page_size
    return Page(
        items=list(queryset[start : start + page_size]),
        count=count,
        page=page,
        page_size=page_size,
    )


def page_envelope(request: Request, page: Page, results: list[Any]) -> dict[str, Any]:
    url = request.get_full_path()
    return {
        "count": page.count,
        "page": page.page,
        "page_size": page.page_size,
        "total_pages": page.total_pages,
        "next": replace_query_param(url, "page", page.page + 1) if page.has_next else None,
        "previous": (
            replace_query_param(url, "page", page.page - 1) if page.has_previous else None
        ),
        "results": results,
    }
