"""Catalog endpoints. Each class is one operation: validate, call a service or selector, answer.

Public reads are cacheable (catalog.api.caching.catalog_read): their ETag and Last-Modified come
from the catalog version, so a revalidation costs one small query and answers 304, and their
rendered bodies are kept per catalog version, so a read of an unchanged catalog costs that same
query and a lookup.
"""

import hashlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpResponse, HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import selectors, services
from catalog.api import serializers as s
from catalog.api.caching import catalog_read
from catalog.images import render_product_image
from catalog.models import Product
from shopcore.exceptions import NotFoundError
from shopcore.http import IgnoreAcceptNegotiation, Validators, cached_read
from shopcore.pagination import page_envelope, paginate
from shopcore.permissions import IsAdmin, IsService
from shopcore.serializers import ErrorOutput

ERRORS = {
    400: OpenApiResponse(ErrorOutput, description="Invalid input; details name the fields."),
    401: OpenApiResponse(ErrorOutput, description="No token, or a token that is not valid."),
    403: OpenApiResponse(ErrorOutput, description="The token lacks the role."),
    404: OpenApiResponse(ErrorOutput, description="Not found."),
    409: OpenApiResponse(ErrorOutput, description="Conflicts with the current state."),
}
NOT_MODIFIED = OpenApiResponse(description="Not modified: the cached copy is current.")
PRODUCT_KEY = OpenApiParameter(
    "key", OpenApiTypes.STR, OpenApiParameter.PATH, description="Product id or slug."
)
PRODUCT_ID = OpenApiParameter("product_id", OpenApiTypes.INT, OpenApiParameter.PATH)


def _errors(*statuses: int) -> dict[int, OpenApiResponse]:
    return {status: ERRORS[status] for status in statuses}


def _filters(params: Mapping[str, Any], **overrides: Any) -> selectors.ProductFilters:
    names = ("category", "min_price", "max_price", "in_stock", "q", "ids", "ordering")
    return selectors.ProductFilters(**{name: params.get(name) for name in names}, **overrides)


def _detail_context(product: Product) -> dict[str, Any]:
    tree = selectors.category_tree_get()
    return {"category_path": tree.path(product.category_id)}


# -- public reads ---------------------------------------------------------------------------------


class ProductListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="products_list",
        tags=["products"],
        parameters=[s.ProductListParams],
        responses={200: s.ProductPageOutput, 304: NOT_MODIFIED, **_errors(400, 401, 404)},
    )
    def get(self, request: Request) -> HttpResponseBase:
        def build(params: Mapping[str, Any]) -> dict[str, Any]:
            rows = selectors.product_summary_rows(filters=_filters(params))
            page = paginate(rows, page=params["page"], page_size=params["page_size"])
            results = [s.product_summary_data(row) for row in page.items]
            return page_envelope(request, page, results)

        return catalog_read(request, params=s.ProductListParams, build=build)


class ProductDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="products_retrieve",
        tags=["products"],
        parameters=[PRODUCT_KEY],
        responses={200: s.ProductDetailOutput, 304: NOT_MODIFIED, **_errors(401, 404)},
    )
    def get(self, request: Request, key: str) -> HttpResponseBase:
        def build(params: Mapping[str, Any]) -> dict[str, Any]:
            row = selectors.product_detail_row(key=key)
            path = selectors.category_tree_get().path(row["category_id"])
            return s.product_detail_data(row, category_path=path)

        return catalog_read(request, build=build)


class CategoryListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="categories_list",
        tags=["categories"],
        responses={200: s.CategoryTreeOutput(many=True), 304: NOT_MODIFIED, **_errors(401)},
    )
    def get(self, request: Request) -> HttpResponseBase:
        def build(params: Mapping[str, Any]) -> list[dict[str, Any]]:
            return s.CategoryTreeOutput(selectors.category_tree_with_counts(), many=True).data

        return catalog_read(request, build=build)


class ProductImageApi(APIView):
    """An SVG drawn from the product; the same for everyone, so no token is looked at."""

    authentication_classes = []
    permission_classes = [AllowAny]
    content_negotiation_class = IgnoreAcceptNegotiation

    @extend_schema(
        operation_id="product_images_retrieve",
        tags=["products"],
        parameters=[
            OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH),
            OpenApiParameter(
                "n", OpenApiTypes.INT, OpenApiParameter.PATH, description="1-based image number."
            ),
        ],
        responses={
            (200, "image/svg+xml"): OpenApiResponse(OpenApiTypes.STR, description="The image."),
            304: NOT_MODIFIED,
            **_errors(404),
        },
    )
    def get(self, request: Request, slug: str, n: int) -> HttpResponse:
        product = selectors.product_get_by_slug(slug=slug)
        if not 1 <= n <= len(product.images):
            raise NotFoundError(f"Product '{slug}' has no image {n}.")
        department = selectors.category_tree_get().department(product.category_id)
        svg = render_product_image(
            name=product.name,
            sku=product.sku,
            department_slug=department.slug,
            department_name=department.name,
            number=n,
            total=len(product.images),
        ).encode()

        def build() -> HttpResponse:
            response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
            # Drawn by us, but still: an SVG opened directly must not run or load anything.
            response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
            return response

        etag = f'"{hashlib.sha256(svg).hexdigest()[:32]}"'
        return cached_read(
            request,
            validators=Validators(etag=etag),
            build=build,
            max_age=settings.CATALOG_IMAGE_MAX_AGE,
        )


# -- admin (user token with the admin role) -------------------------------------------------------


def _admin_product_response(product_id: int, *, status: int = 200) -> Response:
    product = selectors.product_get(key=str(product_id), active_only=False)
    return Response(
        s.AdminProductOutput(product, context=_detail_context(product)).data, status=status
    )


class AdminApi(APIView):
    permission_classes = [IsAdmin]

    def finalize_response(
        self, request: Request, response: HttpResponse, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        # Admin answers are about one person's work in progress: nobody may keep them.
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response


class AdminProductListApi(AdminApi):
    @extend_schema(
        operation_id="admin_products_list",
        tags=["admin"],
        parameters=[s.AdminProductListParams],
        responses={200: s.AdminProductPageOutput, **_errors(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        params = s.AdminProductListParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        products = selectors.product_list(filters=_filters(data, is_active=data["is_active"]))
        page = paginate(products, page=data["page"], page_size=data["page_size"])
        tree = selectors.category_tree_get()
        results = [
            s.AdminProductOutput(
                product, context={"category_path": tree.path(product.category_id)}
            ).data
            for product in page.items
        ]
        return Response(page_envelope(request, page, results))


class AdminProductCreateApi(AdminApi):
    @extend_schema(
        operation_id="admin_products_create",
        tags=["admin"],
        request=s.ProductCreateInput,
        responses={201: s.AdminProductOutput, **_errors(400, 401, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        data = s.ProductCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_create(**data.validated_data)
        return _admin_product_response(product.pk, status=201)


class AdminProductCollectionApi(AdminProductListApi, AdminProductCreateApi):
    """GET lists and POST creates: two operations that share one URL."""


class AdminProductDetailApi(AdminApi):
    @extend_schema(
        operation_id="admin_products_retrieve",
        tags=["admin"],
        parameters=[PRODUCT_ID],
        responses={200: s.AdminProductOutput, **_errors(401, 403, 404)},
    )
    def get(self, request: Request, product_id: int) -> Response:
        return _admin_product_response(product_id)


class AdminProductUpdateApi(AdminApi):
    @extend_schema(
        operation_id="admin_products_partial_update",
        tags=["admin"],
        parameters=[PRODUCT_ID],
        request=s.ProductUpdateInput,
        responses={200: s.AdminProductOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def patch(self, request: Request, product_id: int) -> Response:
        data = s.ProductUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.product_update(product_id=product_id, changes=data.validated_data)
        return _admin_product_response(product_id)


class AdminProductItemApi(AdminProductDetailApi, AdminProductUpdateApi):
    """GET reads and PATCH changes one product: two operations that share one URL."""


class AdminProductDeactivateApi(AdminApi):
    @extend_schema(
        operation_id="admin_products_deactivate",
        tags=["admin"],
        parameters=[PRODUCT_ID],
        request=None,
        responses={200: s.AdminProductOutput, **_errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, product_id: int) -> Response:
        s.EmptyInput(data=request.data).is_valid(raise_exception=True)
        services.product_deactivate(product_id=product_id)
        return _admin_product_response(product_id)


class AdminProductActivateApi(AdminApi):
    @extend_schema(
        operation_id="admin_products_activate",
        tags=["admin"],
        parameters=[PRODUCT_ID],
        request=None,
        responses={200: s.AdminProductOutput, **_errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, product_id: int) -> Response:
        s.EmptyInput(data=request.data).is_valid(raise_exception=True)
        services.product_activate(product_id=product_id)
        return _admin_product_response(product_id)


class AdminStockSetApi(AdminApi):
    @extend_schema(
        operation_id="admin_products_stock_update",
        tags=["admin"],
        parameters=[PRODUCT_ID],
        request=s.StockSetInput,
        responses={200: s.AdminProductOutput, **_errors(400, 401, 403, 404)},
    )
    def put(self, request: Request, product_id: int) -> Response:
        data = s.StockSetInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.stock_set(product_id=product_id, **data.validated_data)
        return _admin_product_response(product_id)


# -- internal (service tokens only; the gateway never routes /internal/) --------------------------


def _reservation_response(order_id: str, *, status: int = 200) -> Response:
    reservation = selectors.reservation_get(order_id=order_id)
    return Response(s.ReservationOutput(reservation).data, status=status)


class InternalApi(APIView):
    permission_classes = [IsService]


class ReservationCreateApi(InternalApi):
    @extend_schema(
        operation_id="reservations_create",
        tags=["internal"],
        request=s.ReservationCreateInput,
        responses={
            201: s.ReservationOutput,
            200: OpenApiResponse(
                s.ReservationOutput, description="This order id was reserved before."
            ),
            409: OpenApiResponse(
                ErrorOutput,
                description="out_of_stock (details.lines: product_id, requested, available; "
                "nothing was reserved) or conflict (the order id was reserved with other lines).",
            ),
            **_errors(400, 401, 403),
        },
    )
    def post(self, request: Request) -> Response:
        data = s.ReservationCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        reservation, created = services.reservation_reserve(
            order_id=data.validated_data["order_id"],
            lines=[services.LineRequest(**line) for line in data.validated_data["lines"]],
            ttl_seconds=data.validated_data.get("ttl_seconds"),
        )
        return _reservation_response(reservation.order_id, status=201 if created else 200)


ORDER_ID = OpenApiParameter("order_id", OpenApiTypes.STR, OpenApiParameter.PATH)


class ReservationDetailApi(InternalApi):
    @extend_schema(
        operation_id="reservations_retrieve",
        tags=["internal"],
        parameters=[ORDER_ID],
        responses={200: s.ReservationOutput, **_errors(401, 403, 404)},
    )
    def get(self, request: Request, order_id: str) -> Response:
        return _reservation_response(order_id)


class ReservationReleaseApi(InternalApi):
    @extend_schema(
        operation_id="reservations_release",
        tags=["internal"],
        parameters=[ORDER_ID],
        request=None,
        responses={200: s.ReservationOutput, **_errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, order_id: str) -> Response:
        s.EmptyInput(data=request.data).is_valid(raise_exception=True)
        services.reservation_release(order_id=order_id)
        return _reservation_response(order_id)


class ReservationCommitApi(InternalApi):
    @extend_schema(
        operation_id="reservations_commit",
        tags=["internal"],
        parameters=[ORDER_ID],
        request=None,
        responses={200: s.ReservationOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, order_id: str) -> Response:
        s.EmptyInput(data=request.data).is_valid(raise_exception=True)
        services.reservation_commit(order_id=order_id)
        return _reservation_response(order_id)
