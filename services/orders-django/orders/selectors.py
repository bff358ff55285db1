"""Reads: the cart with live catalog data, and orders as each caller may see them."""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from orders.clients import catalog
from orders.models import CartItem, Order
from orders.pricing import ZERO, line_total, money
from orders.state import Status
from shopcore.exceptions import NotFoundError


@dataclass(frozen=True)
class CartLine:
    product_id: int
    sku: str
    slug: str
    name: str
    image: str
    unit_price: Decimal | None
    currency: str
    quantity: int
    line_total: Decimal | None
    available: bool
    in_stock: bool


@dataclass(frozen=True)
class Cart:
    items: list[CartLine]
    subtotal: Decimal
    currency: str
    item_count: int


def cart_items(*, user_id: int) -> list[CartItem]:
    return list(CartItem.objects.filter(user_id=user_id).order_by("created_at", "id"))


def cart_get(*, user_id: int) -> Cart:
    """The cart with current prices and availability: one catalog call per view."""
    items = cart_items(user_id=user_id)
    products = catalog.products([item.product_id for item in items])
    return cart_build(items=items, products=products)


def cart_build(*, items: list[CartItem], products: dict[int, dict[str, Any]]) -> Cart:
    """Price the cart from the catalog's answer. A product the catalog no longer lists (gone or
    deactivated) stays in the cart as unavailable, without a price, and is not counted."""
    lines = [_cart_line(item, products.get(item.product_id)) for item in items]
    subtotal = money(sum((line.line_total for line in lines if line.available), ZERO))
    return Cart(
        items=lines,
        subtotal=subtotal,
        currency=settings.CURRENCY,
        item_count=sum(line.quantity for line in lines),
    )


def _cart_line(item: CartItem, product: dict[str, Any] | None) -> CartLine:
    if product is None or product.get("currency", settings.CURRENCY) != settings.CURRENCY:
        return CartLine(
            product_id=item.product_id,
            sku=item.sku,
            slug=item.slug,
            name=item.name,
            image=item.image,
            unit_price=None,
            currency=settings.CURRENCY,
            quantity=item.quantity,
            line_total=None,
            available=False,
            in_stock=False,
        )
    price = money(product["price"])
    return CartLine(
        product_id=item.product_id,
        sku=product.get("sku", item.sku),
        slug=product.get("slug", item.slug),
        name=product.get("name", item.name),
        image=product.get("image") or item.image,
        unit_price=price,
        currency=settings.CURRENCY,
        quantity=item.quantity,
        line_total=line_total(unit_price=price, quantity=item.quantity),
        available=True,
        in_stock=product_in_stock(product, quantity=item.quantity),
    )


def product_in_stock(product: dict[str, Any], *, quantity: int) -> bool:
    """Whether the catalog can sell `quantity` units right now (checkout still decides)."""
    if not product.get("in_stock", False):
        return False
    units = product.get("available")
    # The catalog may say how many units are free; when it does, the line must fit.
    if isinstance(units, int) and not isinstance(units, bool):
        return units >= quantity
    return True


def order_list_for_user(*, user_id: int) -> QuerySet[Order]:
    return Order.objects.filter(user_id=user_id).order_by("-created_at", "-id")


def order_list_all(*, status: str | None = None) -> QuerySet[Order]:
    orders = Order.objects.all().order_by("-created_at", "-id")
    if status:
        orders = orders.filter(status=Status(status))
    return orders


def order_get(*, order_id: uuid.UUID, user_id: int, is_admin: bool = False) -> Order:
    """An order its owner (or an admin) may see; anyone else gets the same 404 as for a
    missing order, so order ids cannot be probed."""
    orders = Order.objects.prefetch_related("lines", "history")
    if not is_admin:
        orders = orders.filter(user_id=user_id)
    order = orders.filter(pk=order_id).first()
    if order is None:
        raise NotFoundError("Order not found.")
    return order


def order_detail(*, order_id: uuid.UUID) -> Order:
    order = Order.objects.prefetch_related("lines", "history").filter(pk=order_id).first()
    if order is None:
        raise NotFoundError("Order not found.")
    return order
