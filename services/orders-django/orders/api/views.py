"""HTTP adapters: validate input, call one service or selector, serialise the answer."""

import uuid
from collections.abc import Callable

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from orders import selectors, services
from orders.api.permissions import IsShopUser, is_admin, user_id
from orders.api.serializers import (
    AdminOrderListInput,
    AdminOrderPageOutput,
    AdminOrderSummaryOutput,
    CartItemAddInput,
    CartItemUpdateInput,
    CartOutput,
    CheckoutInput,
    EmptyInput,
    InternalOrderOutput,
    OrderCancelInput,
    OrderOutput,
    OrderPageOutput,
    OrderSummaryOutput,
)
from orders.idempotency import (
    Claim,
    idempotency_claim,
    idempotency_complete,
    idempotency_key_clean,
    idempotency_release,
    idempotency_replay_body,
    request_fingerprint,
)
from shopcore.errors import exception_handler
from shopcore.pagination import PageParams, page_envelope, paginate
from shopcore.permissions import IsAdmin, IsService
from shopcore.serializers import ErrorOutput

ERRORS = {
    400: OpenApiResponse(ErrorOutput, description="Invalid input; details name the fields."),
    401: OpenApiResponse(ErrorOutput, description="No token, or a token that is not valid."),
    402: OpenApiResponse(ErrorOutput, description="payment_declined; details.order_id."),
    403: OpenApiResponse(ErrorOutput, description="The token lacks the role."),
    404: OpenApiResponse(ErrorOutput, description="Not found (or not yours)."),
    409: OpenApiResponse(ErrorOutput, description="Conflicts with the current state."),
    422: OpenApiResponse(ErrorOutput, description="Unprocessable."),
    503: OpenApiResponse(ErrorOutput, description="A service this needs is unavailable."),
}


def _errors(*statuses: int) -> dict[int, OpenApiResponse]:
    return {status: ERRORS[status] for status in statuses}


def _cart_response(user_id: int) -> Response:
    return Response(CartOutput(selectors.cart_get(user_id=user_id)).data)


# --- Cart -----------------------------------------------------------------------------------


class CartApi(APIView):
    """The signed-in user's cart: read it (GET) or empty it (DELETE)."""

    @extend_schema(operation_id="cart_get", responses={200: CartOutput, **_errors(401, 503)})
    def get(self, request: Request) -> Response:
        return _cart_response(user_id(request))

    @extend_schema(operation_id="cart_clear", responses={200: CartOutput, **_errors(401, 503)})
    def delete(self, request: Request) -> Response:
        services.cart_clear(user_id=user_id(request))
        return _cart_response(user_id(request))


class CartItemAddApi(APIView):
    @extend_schema(
        operation_id="cart_item_add",
        request=CartItemAddInput,
        responses={200: CartOutput, **_errors(400, 401, 503)},
    )
    def post(self, request: Request) -> Response:
        data = CartItemAddInput(data=request.data)
        data.is_valid(raise_exception=True)
        cart = services.cart_item_add(user_id=user_id(request), **data.validated_data)
        return Response(CartOutput(cart).data)


class CartItemApi(APIView):
    """One line of the cart: change its quantity (PATCH) or remove it (DELETE)."""

    @extend_schema(
        operation_id="cart_item_update",
        request=CartItemUpdateInput,
        responses={200: CartOutput, **_errors(400, 401, 404, 503)},
    )
    def patch(self, request: Request, product_id: int) -> Response:
        data = CartItemUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.cart_item_update(
            user_id=user_id(request), product_id=product_id, **data.validated_data
        )
        return _cart_response(user_id(request))

    @extend_schema(
        operation_id="cart_item_remove", responses={200: CartOutput, **_errors(401, 404, 503)}
    )
    def delete(self, request: Request, product_id: int) -> Response:
        services.cart_item_remove(user_id=user_id(request), product_id=product_id)
        return _cart_response(user_id(request))


# --- Orders ---------------------------------------------------------------------------------

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="A new unique value (e.g. a UUID) per checkout attempt; resend it on retries.",
)


class OrdersApi(APIView):
    """`/api/orders/`: the user's orders (GET) and checkout (POST). One URL, two operations."""

    @extend_schema(
        operation_id="order_list",
        parameters=[PageParams],
        responses={200: OrderPageOutput, **_errors(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        params = PageParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = paginate(
            selectors.order_list_for_user(user_id=user_id(request)), **params.validated_data
        )
        results = OrderSummaryOutput(page.items, many=True).data
        return Response(page_envelope(request, page, results))

    @extend_schema(
        operation_id="order_create",
        parameters=[IDEMPOTENCY_HEADER],
        request=CheckoutInput,
        responses={201: OrderOutput, **_errors(400, 401, 402, 409, 422, 503)},
        description=(
            "Checkout of the whole cart. Test cards: 4242424242424242 pays, 4000000000000002 "
            "is declined (402), 4000000000009995 makes the provider unavailable (503)."
        ),
    )
    def post(self, request: Request) -> Response:
        key = idempotency_key_clean(request.headers.get("Idempotency-Key"))
        data = CheckoutInput(data=request.data)
        data.is_valid(raise_exception=True)

        def place(claim: Claim) -> Response:
            order = services.order_place(
                order_id=claim.order_id,
                resume=claim.taken_over,
                user_id=user_id(request),
                **data.to_arguments(),
            )
            return Response(OrderOutput(order).data, status=201)

        return _idempotent(request, key=key, work=place)


# Checkout answers that report a decision; they are kept and replayed for the key.
_CHECKOUT_DECISIONS = (
    services.OrderOutOfStockError,
    services.OrderPaymentDeclinedError,
    services.OrderPaymentUnavailableError,
)


def _idempotent(request: Request, *, key: str, work: Callable[[Claim], Response]) -> Response:
    """Run `work(claim)` once per (user, key); see orders/idempotency.py for the protocol."""
    claim = idempotency_claim(
        user_id=user_id(request), key=key, fingerprint=request_fingerprint(request.data)
    )
    if claim.replay:
        return Response(
            idempotency_replay_body(claim),
            status=claim.record.response_status,
            headers={"Idempotent-Replayed": "true"},
        )
    try:
        response = work(claim)
    except _CHECKOUT_DECISIONS as exc:
        response = exception_handler(exc, {})
    except BaseException:
        idempotency_release(claim=claim)
        raise
    idempotency_complete(claim=claim, status=response.status_code, body=response.data)
    return response


class OrderDetailApi(APIView):
    @extend_schema(operation_id="order_get", responses={200: OrderOutput, **_errors(401, 404)})
    def get(self, request: Request, order_id: uuid.UUID) -> Response:
        order = selectors.order_get(
            order_id=order_id, user_id=user_id(request), is_admin=is_admin(request)
        )
        return Response(OrderOutput(order).data)


class OrderCancelApi(APIView):
    @extend_schema(
        operation_id="order_cancel",
        request=OrderCancelInput,
        responses={200: OrderOutput, **_errors(400, 401, 404, 409)},
    )
    def post(self, request: Request, order_id: uuid.UUID) -> Response:
        data = OrderCancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.order_cancel(
            order_id=order_id,
            user_id=user_id(request),
            is_admin=is_admin(request),
            **data.validated_data,
        )
        return Response(OrderOutput(selectors.order_detail(order_id=order.id)).data)


class OrderShipApi(APIView):
    permission_classes = [IsShopUser, IsAdmin]

    @extend_schema(
        operation_id="order_ship",
        request=None,
        responses={200: OrderOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, order_id: uuid.UUID) -> Response:
        EmptyInput(data=request.data).is_valid(raise_exception=True)
        order = services.order_ship(order_id=order_id, admin_id=user_id(request))
        return Response(OrderOutput(selectors.order_detail(order_id=order.id)).data)


class OrderDeliverApi(APIView):
    permission_classes = [IsShopUser, IsAdmin]

    @extend_schema(
        operation_id="order_deliver",
        request=None,
        responses={200: OrderOutput, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, order_id: uuid.UUID) -> Response:
        EmptyInput(data=request.data).is_valid(raise_exception=True)
        order = services.order_deliver(order_id=order_id, admin_id=user_id(request))
        return Response(OrderOutput(selectors.order_detail(order_id=order.id)).data)


class AdminOrderListApi(APIView):
    permission_classes = [IsShopUser, IsAdmin]

    @extend_schema(
        operation_id="admin_order_list",
        parameters=[AdminOrderListInput],
        responses={200: AdminOrderPageOutput, **_errors(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        params = AdminOrderListInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        status = params.validated_data.pop("status", None)
        page = paginate(selectors.order_list_all(status=status), **params.validated_data)
        results = AdminOrderSummaryOutput(page.items, many=True).data
        return Response(page_envelope(request, page, results))


# --- Internal (service tokens only; the gateway never routes /internal/) ----------------------


class InternalOrderDetailApi(APIView):
    permission_classes = [IsService]

    @extend_schema(
        operation_id="internal_order_get",
        responses={200: InternalOrderOutput, **_errors(401, 403, 404)},
    )
    def get(self, request: Request, order_id: uuid.UUID) -> Response:
        return Response(InternalOrderOutput(selectors.order_detail(order_id=order_id)).data)
