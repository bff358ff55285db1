"""Page-number pagination with the list shape every service answers with:
{count, page, page_size, total_pages, next, previous, results}. A page size above the
maximum is a 400, not silently capped, so a client learns its limit."""

import math

from django.core.paginator import InvalidPage
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from core.errors import NotFoundError


class PageInput(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=100, required=False)


class Pagination(PageNumberPagination):
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request: Request, view=None):
        params = PageInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        self.request = request
        self._page_size = params.validated_data.get("page_size", self.page_size)
        paginator = self.django_paginator_class(queryset, self._page_size)
        try:
            self.page = paginator.page(params.validated_data["page"])
        except InvalidPage as exc:
            raise NotFoundError("This page does not exist.") from exc
        return list(self.page)

    def get_paginated_response(self, data: list) -> Response:
        count = self.page.paginator.count
        return Response(
            {
                "count": count,
                "page": self.page.number,
                "page_size": self._page_size,
                "total_pages": max(1, math.ceil(count / self._page_size)),
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": [
                "count",
                "page",
                "page_size",
                "total_pages",
                "next",
                "previous",
                "results",
            ],
            "properties": {
                "count": {"type": "integer"},
                "page": {"type": "integer"},
                "page_size": {"type": "integer"},
                "total_pages": {"type": "integer"},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }
