"""Writes: the cart, checkout (the saga's orchestrator), and every order status change.

Checkout, in order (docs/ has the sequence diagram):
1. reserve the cart's lines in the catalog, all or nothing (out of stock -> 409, no order);
2. in one transaction: the order, its lines (prices from the reservation), its first history
   entry and the outbox event `order.placed`;
3. charge the mock provider; in one transaction: `paid` + `order.paid` (the catalog commits the
   reservation when it receives it) and the ordered products leave the cart; or
   `payment_failed` + `order.payment_failed`, and the reservation is released at once (the
   catalog also releases it on the event; both are idempotent).
Any failure before step 2 commits releases whatever step 1 may have reserved.
"""

import logging
import secrets
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.clients import (
    OutOfStockError,
    ReservationRejectedError,
    UpstreamUnavailableError,
    catalog,
)
from orders.events import event_record
from orders.models import CartItem, Order, OrderLine, OrderStatusChange
from orders.payments import (
    Card,
    PaymentDeclinedError,
    PaymentProviderUnavailableError,
    payment_charge,
    payment_refund,
)
from orders.pricing import line_total, money, order_totals
from orders.selectors import Cart, cart_build, cart_items, order_get
from orders.state import EVENT_FOR_STATUS, INITIAL_EVENT, Actor, Status, transition_allowed
from shopcore.exceptions import (
    ApplicationError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
)

logger = logging.getLogger(__name__)


class CartEmptyError(ApplicationError):
    status_code = 400
    code = "cart_empty"
    default_message = "The cart is empty."


class OrderOutOfStockError(ApplicationError):
    status_code = 409
    code = "out_of_stock"
    default_message = (
        "Some products are not available in the requested quantity. Nothing was ordered."
    )


class OrderPaymentDeclinedError(ApplicationError):
    status_code = 402
    code = "payment_declined"
    default_message = "The card was declined. The order was not paid; please use another card."


class OrderPaymentUnavailableError(ApplicationError):
    status_code = 503
    code = "payment_unavailable"
    default_message = (
        "The payment provider is unavailable. The order was not paid; please try again."
    )


class InvalidTransitionError(ConflictError):
    def __init__(self, current: str, target: str) -> None:
        super().__init__(
            f"An order that is {current} cannot become {target}.",
            details={"status": current, "requested": target},
        )


# --- Cart -----------------------------------------------------------------------------------


def _validation_error(field: str, message: str) -> InvalidInputError:
    return InvalidInputError(details={field: [message]})


def cart_item_add(*, user_id: int, product_id: int, quantity: int) -> Cart:
    """Add units of a product the catalog sells; the line's total quantity stays within limits."""
    items = cart_items(user_id=user_id)
    products = catalog.products([item.product_id for item in items] + [product_id])
    product = products.get(product_id)
    if product is None:
        raise _validation_error("product_id", "This product does not exist or is not for sale.")
    snapshot = {
        "sku": str(product.get("sku", ""))[:64],
        "slug": str(product.get("slug", ""))[:255],
        "name": str(product.get("name", ""))[:255],
        "image": str(product.get("image") or "")[:500],
    }
    in_cart = any(item.product_id == product_id for item in items)
    for attempt in range(2):
        try:
            with transaction.atomic():
                added = _cart_item_increase(
                    user_id=user_id,
                    product_id=product_id,
                    quantity=quantity,
                    snapshot=snapshot,
                    in_cart=in_cart or attempt > 0,
                )
            break
        except IntegrityError:
            # Two adds of a new product raced; the second one now finds the line and adds to it.
            if attempt:
                raise
    # The cart as read above with this change: the same lines in the same order, the new one last.
    items = [added if item.product_id == product_id else item for item in items]
    if not in_cart:
        items.append(added)
    return cart_build(items=items, products=products)


def _cart_item_increase(
    *, user_id: int, product_id: int, quantity: int, snapshot: dict[str, str], in_cart: bool
) -> CartItem:
    """Add to the product's line, or create it. A line not `in_cart` when the cart was read is
    inserted without looking for it first: if a concurrent add created it meanwhile, the unique
    constraint fails the insert and the caller tries again with `in_cart`."""
    item = None
    if in_cart:
        item = (
            CartItem.objects.select_for_update()
            .filter(user_id=user_id, product_id=product_id)
            .first()
        )
    new_quantity = (item.quantity if item else 0) + quantity
    if new_quantity > settings.CART_MAX_QUANTITY:
        raise _validation_error(
            "quantity", f"At most {settings.CART_MAX_QUANTITY} units of a product per order."
        )
    if item is None:
        if CartItem.objects.filter(user_id=user_id).count() >= settings.CART_MAX_LINES:
            raise _validation_error(
                "product_id", f"A cart holds at most {settings.CART_MAX_LINES} products."
            )
        return CartItem.objects.create(
            user_id=user_id, product_id=product_id, quantity=new_quantity, **snapshot
        )
    item.quantity = new_quantity
    for field, value in snapshot.items():
        setattr(item, field, value)
    item.save(update_fields=["quantity", *snapshot, "updated_at"])
    return item


def cart_item_update(*, user_id: int, product_id: int, quantity: int) -> None:
    """Set the quantity of a product already in the cart."""
    updated = CartItem.objects.filter(user_id=user_id, product_id=product_id).update(
        quantity=quantity, updated_at=timezone.now()
    )
    if not updated:
        raise NotFoundError("This product is not in the cart.")


def cart_item_remove(*, user_id: int, product_id: int) -> None:
    deleted, _ = CartItem.objects.filter(user_id=user_id, product_id=product_id).delete()
    if not deleted:
        raise NotFoundError("This product is not in the cart.")


def cart_clear(*, user_id: int) -> None:
    CartItem.objects.filter(user_id=user_id).delete()


# --- Checkout -------------------------------------------------------------------------------


def order_place(
    *,
    order_id: uuid.UUID,
    user_id: int,
    shipping_address: dict[str, str],
    card: Card,
    resume: bool = True,
) -> Order:
    """Check out the user's cart as order `order_id`: reserve, snapshot prices, pay.

    Resumable: called again with the same order id (a retried checkout whose first attempt
    died) it continues that order instead of starting a second one. `resume=False` says that
    no earlier attempt can exist (a freshly claimed idempotency key), which spares looking.
    """
    order = Order.objects.filter(pk=order_id, user_id=user_id).first() if resume else None
    lines = None
    if order is None:
        order, lines = _order_create(
            order_id=order_id, user_id=user_id, shipping_address=shipping_address
        )
    if order.status == Status.PENDING_PAYMENT:
        order = _order_pay(order=order, lines=lines, card=card)
    return _checkout_outcome(order)


def _order_create(
    *, order_id: uuid.UUID, user_id: int, shipping_address: dict[str, str]
) -> tuple[Order, list[OrderLine]]:
    items = cart_items(user_id=user_id)
    if not items:
        raise CartEmptyError()
    requested = [{"product_id": item.product_id, "quantity": item.quantity} for item in items]
    try:
        reservation = catalog.reservation_create(
            order_id=str(order_id), lines=requested, ttl_seconds=settings.RESERVATION_TTL_SECONDS
        )
    except OutOfStockError as exc:
        raise OrderOutOfStockError(details={"lines": exc.lines}) from exc
    except ReservationRejectedError as exc:
        raise _unsellable_lines(requested) from exc
    except UpstreamUnavailableError:
        # A request that timed out may still have reserved: give that stock back (if the
        # catalog cannot be reached now, its reservation expires on its own).
        _reservation_release_quietly(order_id)
        raise
    try:
        lines = _lines_from_reservation(reservation, requested)
        return _order_insert(
            order_id=order_id, user_id=user_id, shipping_address=shipping_address, lines=lines
        )
    except IntegrityError:
        existing = Order.objects.filter(pk=order_id).first()
        if existing is not None:  # a resumed attempt created it a moment ago
            return existing, list(existing.lines.all())
        _reservation_release_quietly(order_id)
        raise
    except BaseException:
        _reservation_release_quietly(order_id)
        raise


def _unsellable_lines(requested: list[dict[str, int]]) -> Exception:
    """The catalog refused the lines (a product it no longer has): say which, as out of stock."""
    known = catalog.products([line["product_id"] for line in requested])
    gone = [
        {"product_id": line["product_id"], "requested": line["quantity"], "available": 0}
        for line in requested
        if line["product_id"] not in known
    ]
    if gone:
        return OrderOutOfStockError(details={"lines": gone})
    return UpstreamUnavailableError("catalog", "reservation refused for products it lists")


def _lines_from_reservation(
    reservation: dict[str, Any], requested: list[dict[str, int]]
) -> list[dict[str, Any]]:
    """The lines to sell, priced by the catalog. Anything unexpected is the catalog's fault."""
    try:
        lines = [
            {
                "product_id": int(line["product_id"]),
                "sku": str(line["sku"]),
                "name": str(line["name"]),
                "quantity": int(line["quantity"]),
                "unit_price": money(str(line["unit_price"])),
                "currency": str(line.get("currency", settings.CURRENCY)),
            }
            for line in reservation["lines"]
        ]
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise UpstreamUnavailableError("catalog", "unexpected reservation answer") from exc
    got = sorted((line["product_id"], line["quantity"]) for line in lines)
    wanted = sorted((line["product_id"], line["quantity"]) for line in requested)
    if got != wanted or any(line["currency"] != settings.CURRENCY for line in lines):
        raise UpstreamUnavailableError("catalog", "reservation does not match the cart")
    return lines


def _order_number() -> str:
    # Short enough to read out on the phone; random so numbers reveal nothing about volume.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    suffix = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{timezone.now():%y%m%d}-{suffix}"


def _order_insert(
    *, order_id: uuid.UUID, user_id: int, shipping_address: dict[str, str], lines: list[dict]
) -> tuple[Order, list[OrderLine]]:
    for line in lines:
        line["line_total"] = line_total(unit_price=line["unit_price"], quantity=line["quantity"])
    totals = order_totals(line["line_total"] for line in lines)
    with transaction.atomic():
        order = Order.objects.create(
            id=order_id,
            number=_order_number(),
            user_id=user_id,
            status=Status.PENDING_PAYMENT,
            currency=settings.CURRENCY,
            subtotal=totals.subtotal,
            shipping=totals.shipping,
            tax=totals.tax,
            total=totals.total,
            item_count=sum(line["quantity"] for line in lines),
            shipping_address=shipping_address,
        )
        order_lines = OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product_id=line["product_id"],
                sku=line["sku"],
                name=line["name"],
                unit_price=line["unit_price"],
                quantity=line["quantity"],
                line_total=line["line_total"],
            )
            for line in lines
        )
        OrderStatusChange.objects.create(
            order=order,
            from_status="",
            to_status=Status.PENDING_PAYMENT,
            actor=Actor.CUSTOMER,
            actor_id=str(user_id),
            at=order.created_at,
        )
        data = _event_base(order, order_lines)
        event_record(
            type=INITIAL_EVENT,
            at=order.created_at,
            data={
                **data,
                "currency": order.currency,
                "total": _amount(order.total),
                # The lines as order.placed has always carried them (without their totals).
                "lines": [
                    {key: value for key, value in line.items() if key != "line_total"}
                    for line in data["order"]["lines"]
                ],
            },
        )
    return order, order_lines


def _order_pay(*, order: Order, lines: list[OrderLine] | None, card: Card) -> Order:
    if lines is None:  # a resumed checkout: the order was written by an earlier attempt
        lines = list(order.lines.all())
    try:
        payment = payment_charge(
            amount=order.total, currency=order.currency, card=card, reference=str(order.id)
        )
    except PaymentDeclinedError:
        return _order_payment_failed(order=order, lines=lines, reason="declined")
    except PaymentProviderUnavailableError:
        return _order_payment_failed(order=order, lines=lines, reason="provider_unavailable")

    def cart_remove_ordered() -> None:
        ordered = [line.product_id for line in lines]
        CartItem.objects.filter(user_id=order.user_id, product_id__in=ordered).delete()

    try:
        order, _ = _order_transition(
            order=order,
            lines=lines,
            to=Status.PAID,
            actor=Actor.SYSTEM,
            changes={"payment_id": payment.id},
            also=cart_remove_ordered,  # the ordered products leave the cart with the payment
        )
    except InvalidTransitionError:
        # Cancelled while the card was being charged: the money goes back.
        payment_refund(payment_id=payment.id, amount=payment.amount, currency=payment.currency)
        raise
    return order


def _order_payment_failed(*, order: Order, lines: list[OrderLine], reason: str) -> Order:
    order, _ = _order_transition(
        order=order,
        lines=lines,
        to=Status.PAYMENT_FAILED,
        actor=Actor.SYSTEM,
        reason=reason,
        changes={"failure_reason": reason},
    )
    _reservation_release_quietly(order.id)
    return order


def _checkout_outcome(order: Order) -> Order:
    details = {"order_id": str(order.id)}
    if order.status == Status.PAYMENT_FAILED:
        if order.failure_reason == "provider_unavailable":
            raise OrderPaymentUnavailableError(details=details)
        raise OrderPaymentDeclinedError(details=details)
    if order.status in (Status.CANCELLED, Status.PENDING_PAYMENT):
        raise ConflictError(f"This checkout's order is {order.status}.", details=details)
    return order


def _reservation_release_quietly(order_id: uuid.UUID) -> None:
    """Compensation that may fail: the catalog's own expiry and the events cover for it."""
    try:
        catalog.reservation_release(order_id=str(order_id))
    except Exception as exc:
        logger.warning(
            "reservation release failed; the catalog will expire it",
            extra={"order_id": str(order_id), "error": str(exc)},
        )


# --- Status changes -------------------------------------------------------------------------


def _amount(value: Any) -> str:
    return f"{money(value):.2f}"


def _event_base(order: Order, lines: Iterable[OrderLine]) -> dict[str, Any]:
    """What every order event carries: the ids, and the order's immutable part (`order`).

    Lines, amounts and address never change after checkout, so a copy in the event cannot go
    stale, and consumers (notify's e-mails) need not call back into this service, which is
    busiest at the very moment the events arrive (contracts/events/README.md).
    """
    return {
        "order_id": str(order.id),
        "number": order.number,
        "user_id": order.user_id,
        "order": {
            "lines": [
                {
                    "product_id": line.product_id,
                    "sku": line.sku,
                    "name": line.name,
                    "quantity": line.quantity,
                    "unit_price": _amount(line.unit_price),
                    "line_total": _amount(line.line_total),
                }
                for line in lines
            ],
            "subtotal": _amount(order.subtotal),
            "shipping": _amount(order.shipping),
            "tax": _amount(order.tax),
            "total": _amount(order.total),
            "currency": order.currency,
            "shipping_address": order.shipping_address,
        },
    }


def _event_data(
    order: Order, lines: Iterable[OrderLine], *, previous: str, actor: str, reason: str
) -> dict[str, Any]:
    data = _event_base(order, lines)
    if order.status == Status.PAID:
        data.update(
            total=_amount(order.total), currency=order.currency, payment_id=order.payment_id
        )
    elif order.status == Status.PAYMENT_FAILED:
        data["reason"] = reason
    elif order.status == Status.CANCELLED:
        data.update(cancelled_by=actor, was_paid=previous == Status.PAID)
        if reason:
            data["reason"] = reason
    return data


def _order_transition(
    *,
    order: Order,
    to: Status,
    actor: Actor,
    actor_id: str = "",
    reason: str = "",
    changes: dict[str, Any] | None = None,
    lines: Iterable[OrderLine] | None = None,
    also: Callable[[], None] | None = None,
) -> tuple[Order, str]:
    """The only way an order's status changes: checked against the table in orders/state.py,
    recorded in the history and announced through the outbox, all in one transaction.

    `order` is the caller's copy, with its `lines` (given, or prefetched: the event carries
    them). The move is one conditional UPDATE that applies only while the order still has the
    status the copy shows; when another request moved it in between, the status is read again
    and the move decided anew. `also` runs in the same transaction, for writes that must commit
    with the move. Returns the order, updated, and the status it left.
    """
    changes = changes or {}
    while True:
        previous = order.status
        if not transition_allowed(previous, to):
            raise InvalidTransitionError(previous, to)
        now = timezone.now()
        with transaction.atomic():
            moved = Order.objects.filter(pk=order.pk, status=previous).update(
                status=to, updated_at=now, **changes
            )
            if moved:
                order.status, order.updated_at = to, now
                for field, value in changes.items():
                    setattr(order, field, value)
                OrderStatusChange.objects.create(
                    order=order,
                    from_status=previous,
                    to_status=to,
                    actor=actor,
                    actor_id=actor_id,
                    reason=reason,
                    at=now,
                )
                event_record(
                    type=EVENT_FOR_STATUS[to],
                    at=now,
                    data=_event_data(
                        order,
                        order.lines.all() if lines is None else lines,
                        previous=previous,
                        actor=actor,
                        reason=reason,
                    ),
                )
                if also is not None:
                    also()
                return order, previous
        order.status = Order.objects.values_list("status", flat=True).get(pk=order.pk)


def order_cancel(*, order_id: uuid.UUID, user_id: int, is_admin: bool, reason: str = "") -> Order:
    """Cancel an order that has not shipped: its owner may, and so may an admin.

    Stock goes back through `order.cancelled` (the catalog releases the reservation or returns
    sold units); a pending order's reservation is also released right away, and a paid order
    is refunded.
    """
    order = order_get(order_id=order_id, user_id=user_id, is_admin=is_admin)
    actor = Actor.CUSTOMER if order.user_id == user_id else Actor.ADMIN
    order, previous = _order_transition(
        order=order, to=Status.CANCELLED, actor=actor, actor_id=str(user_id), reason=reason
    )
    if previous == Status.PENDING_PAYMENT:
        _reservation_release_quietly(order.id)
    elif previous == Status.PAID and order.payment_id:
        # After the commit, as with a real provider: never refund an order that stays paid.
        order.refund_id = payment_refund(
            payment_id=order.payment_id, amount=order.total, currency=order.currency
        )
        order.save(update_fields=["refund_id", "updated_at"])
    return order


def order_ship(*, order_id: uuid.UUID, admin_id: int) -> Order:
    """An admin hands a paid order to the carrier."""
    order = order_get(order_id=order_id, user_id=admin_id, is_admin=True)
    order, _ = _order_transition(
        order=order, to=Status.SHIPPED, actor=Actor.ADMIN, actor_id=str(admin_id)
    )
    return order


def order_deliver(*, order_id: uuid.UUID, admin_id: int) -> Order:
    """An admin records that a shipped order reached the customer."""
    order = order_get(order_id=order_id, user_id=admin_id, is_admin=True)
    order, _ = _order_transition(
        order=order, to=Status.DELIVERED, actor=Actor.ADMIN, actor_id=str(admin_id)
    )
    return order


def orders_release_stale(*, older_than: timedelta | None = None) -> list[uuid.UUID]:
    """Cancel (as the system) orders left pending_payment longer than ORDERS_PENDING_TTL_SECONDS.

    Only a checkout that died between reserving and paying leaves such an order. Each order
    is handled in its own transaction; one that got paid meanwhile is skipped.
    """
    older_than = older_than or timedelta(seconds=settings.ORDERS_PENDING_TTL_SECONDS)
    cutoff = timezone.now() - older_than
    stale = list(
        Order.objects.filter(status=Status.PENDING_PAYMENT, created_at__lt=cutoff)
        .order_by("created_at")
        .prefetch_related("lines")[:500]
    )
    cancelled = []
    for order in stale:
        try:
            _order_transition(
                order=order,
                to=Status.CANCELLED,
                actor=Actor.SYSTEM,
                reason="payment not completed in time",
            )
        except InvalidTransitionError:
            continue
        _reservation_release_quietly(order.id)
        cancelled.append(order.id)
    if cancelled:
        logger.info("stale orders cancelled", extra={"count": len(cancelled)})
    return cancelled
