"""Writes to the catalog. Each public function is one business operation in one transaction.

The rules kept here:
- Stock never oversells. A reservation takes units with conditional UPDATEs
  (`... SET on_hand = on_hand - q WHERE on_hand >= q`), one product after the other in
  product-id order (so two reservations never wait for each other in a cycle), all inside one
  transaction: either every line gets its units or the transaction rolls back and none does.
  The CHECK constraints on the stock counters are the last guard.
- Stock moves between counters, never appears or vanishes: reserve moves on_hand -> reserved,
  commit reserved -> sold, release reserved -> on_hand (or sold -> on_hand for a committed
  order that is cancelled). So initial = on_hand + reserved + sold at all times.
- Every write that changes what the public reads show bumps the catalog version as its last
  statement, so cached reads revalidate. They show the units free to sell (on_hand) and none of
  the other counters, so a commit (reserved -> sold) leaves the version, and every page kept
  for it, alone.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypedDict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from catalog.images import image_paths
from catalog.models import (
    CatalogVersion,
    Category,
    Currency,
    Product,
    Reservation,
    ReservationLine,
    Stock,
)
from shopcore.exceptions import ConflictError, InvalidInputError, NotFoundError

DEFAULT_IMAGE_COUNT = 3


class OutOfStockError(ConflictError):
    """Some lines cannot be reserved; `details["lines"]` names them with what is available."""

    code = "out_of_stock"
    default_message = "Not enough stock for some of the lines; nothing was reserved."


# -- the catalog version --------------------------------------------------------------------------


def catalog_changed() -> None:
    """Bump the catalog version. Call it last inside the transaction that wrote."""
    now = timezone.now()
    bump = {"version": F("version") + 1, "changed_at": now}
    if CatalogVersion.objects.filter(pk=1).update(**bump):
        return
    _, created = CatalogVersion.objects.get_or_create(
        pk=1, defaults={"version": 1, "changed_at": now}
    )
    if not created:  # another transaction created the row meanwhile
        CatalogVersion.objects.filter(pk=1).update(**bump)


# -- products -------------------------------------------------------------------------------------


class ProductChanges(TypedDict, total=False):
    sku: str
    slug: str
    name: str
    description: str
    price: Decimal
    currency: str
    category_id: int
    attributes: dict[str, Any]


def product_create(
    *,
    sku: str,
    name: str,
    price: Decimal,
    category_id: int,
    slug: str | None = None,
    description: str = "",
    currency: str = Currency.EUR,
    attributes: dict[str, Any] | None = None,
    is_active: bool = True,
    image_count: int = DEFAULT_IMAGE_COUNT,
    created_at: datetime | None = None,
) -> Product:
    """Create a product with empty stock and generated images. SKU and slug must be free."""
    _require_category(category_id)
    slug = slug or _free_slug(name)
    _require_unique(sku=sku, slug=slug)
    try:
        with transaction.atomic():
            product = Product.objects.create(
                sku=sku,
                slug=slug,
                name=name,
                description=description,
                price=price,
                currency=currency,
                category_id=category_id,
                attributes=attributes or {},
                is_active=is_active,
                images=image_paths(slug, image_count),
                created_at=created_at or timezone.now(),
            )
            Stock.objects.create(product=product)
            catalog_changed()
    except IntegrityError:
        _require_unique(sku=sku, slug=slug)  # taken by a concurrent request: say which
        raise
    return product


def product_update(*, product_id: int, changes: ProductChanges) -> Product:
    """Change some fields of a product. A new slug moves its image paths along."""
    if "category_id" in changes:
        _require_category(changes["category_id"])
    try:
        with transaction.atomic():
            product = _product_locked(product_id)
            if not changes:
                return product
            _require_unique(
                sku=changes.get("sku", product.sku),
                slug=changes.get("slug", product.slug),
                exclude_id=product.pk,
            )
            for name, value in changes.items():
                setattr(product, name, value)
            if "slug" in changes:
                product.images = image_paths(product.slug, len(product.images) or 1)
            product.save()
            catalog_changed()
    except IntegrityError:
        _require_unique(
            sku=changes.get("sku", ""), slug=changes.get("slug", ""), exclude_id=product_id
        )
        raise
    return product


def product_deactivate(*, product_id: int) -> Product:
    """Take a product off sale. It stays in the database: orders and reservations refer to it."""
    return _product_set_active(product_id, active=False)


def product_activate(*, product_id: int) -> Product:
    return _product_set_active(product_id, active=True)


def _product_set_active(product_id: int, *, active: bool) -> Product:
    with transaction.atomic():
        product = _product_locked(product_id)
        if product.is_active != active:
            product.is_active = active
            product.save(update_fields=["is_active", "updated_at"])
            catalog_changed()
    return product


def _product_locked(product_id: int) -> Product:
    product = Product.objects.select_for_update().filter(pk=product_id).first()
    if product is None:
        raise NotFoundError(f"There is no product {product_id}.")
    return product


def _require_category(category_id: int) -> None:
    if not Category.objects.filter(pk=category_id).exists():
        raise InvalidInputError(details={"category_id": [f"There is no category {category_id}."]})


def _require_unique(*, sku: str, slug: str, exclude_id: int | None = None) -> None:
    others = Product.objects.exclude(pk=exclude_id) if exclude_id else Product.objects.all()
    taken: dict[str, list[str]] = {}
    if sku and others.filter(sku=sku).exists():
        taken["sku"] = [f"A product with SKU '{sku}' already exists."]
    if slug and others.filter(slug=slug).exists():
        taken["slug"] = [f"A product with slug '{slug}' already exists."]
    if taken:
        raise ConflictError("The SKU or slug is already taken.", details=taken)


def _free_slug(name: str) -> str:
    base = slugify(name)[:100].strip("-") or "product"
    if base.isdigit():  # all-digit keys are product ids in URLs
        base = f"product-{base}"
    slug, suffix = base, 2
    while Product.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


# -- stock ----------------------------------------------------------------------------------------


def stock_set(*, product_id: int, on_hand: int) -> Stock:
    """Set the units free to sell (a stock count or a delivery). Held and sold units stay."""
    if on_hand < 0:
        raise InvalidInputError(details={"on_hand": ["Must be zero or more."]})
    with transaction.atomic():
        stock = Stock.objects.select_for_update().filter(product_id=product_id).first()
        if stock is None:
            _product_locked(product_id)  # 404 for an unknown product
            stock = Stock(product_id=product_id)
        stock.on_hand = on_hand
        stock.save()
        catalog_changed()
    return stock


# -- reservations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineRequest:
    product_id: int
    quantity: int


Status = Reservation.Status

# Every status change a reservation may make, and the stock counters it moves units between.
# This table is the only place that knows them.
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (Status.ACTIVE, Status.COMMITTED): ("reserved", "sold"),
    (Status.ACTIVE, Status.RELEASED): ("reserved", "on_hand"),
    (Status.ACTIVE, Status.EXPIRED): ("reserved", "on_hand"),
    # A paid order that is cancelled before it ships gives its units back.
    (Status.COMMITTED, Status.RELEASED): ("sold", "on_hand"),
}


# The only stock counter the public reads show (as `available`): moves that touch it change
# them, and bump the catalog version.
PUBLIC_COUNTER = "on_hand"


class StockInvariantError(RuntimeError):
    """Counters do not hold what a reservation says they hold: a bug, never a user error."""


def reservation_reserve(
    *, order_id: str, lines: Sequence[LineRequest], ttl_seconds: int | None = None
) -> tuple[Reservation, bool]:
    """Hold stock for every line of an order, or for none. Idempotent per order id.

    Returns the reservation and whether this call created it. A repeat with the same order
    id and lines returns the existing reservation, whatever its status; the same order id with
    other lines is a conflict.
    """
    _validate_lines(lines)
    existing = Reservation.objects.filter(order_id=order_id).first()
    if existing is not None:
        return _same_lines_or_conflict(existing, lines), False
    ttl = ttl_seconds or settings.CATALOG_RESERVATION_TTL_SECONDS
    try:
        return _reserve(order_id, lines, ttl), True
    except IntegrityError:
        # A concurrent request with this order id committed first; its reservation is ours.
        existing = Reservation.objects.filter(order_id=order_id).first()
        if existing is None:
            raise
        return _same_lines_or_conflict(existing, lines), False


@transaction.atomic
def _reserve(order_id: str, lines: Sequence[LineRequest], ttl_seconds: int) -> Reservation:
    ordered = sorted(lines, key=lambda line: line.product_id)
    products = Product.objects.in_bulk([line.product_id for line in ordered])
    unknown = [line.product_id for line in ordered if line.product_id not in products]
    if unknown:
        raise InvalidInputError(
            details={"lines": [f"There is no product {product_id}." for product_id in unknown]}
        )
    # The order id's row comes first: a concurrent duplicate waits here, on the unique index,
    # before it touches any stock.
    reservation = Reservation.objects.create(
        order_id=order_id, expires_at=timezone.now() + timedelta(seconds=ttl_seconds)
    )
    short = [line for line in ordered if not _take(products[line.product_id], line.quantity)]
    if short:
        raise OutOfStockError(details={"lines": _shortages(short, products)})
    ReservationLine.objects.bulk_create(
        ReservationLine(
            reservation=reservation,
            product_id=line.product_id,
            quantity=line.quantity,
            unit_price=products[line.product_id].price,
        )
        for line in ordered
    )
    catalog_changed()
    return reservation


def _take(product: Product, quantity: int) -> bool:
    """Move `quantity` units from on_hand to reserved if that many are free. One UPDATE."""
    if not product.is_active:
        return False
    taken = Stock.objects.filter(product_id=product.pk, on_hand__gte=quantity).update(
        on_hand=F("on_hand") - quantity, reserved=F("reserved") + quantity
    )
    return taken == 1


def _shortages(short: list[LineRequest], products: dict[int, Product]) -> list[dict[str, int]]:
    on_hand = dict(
        Stock.objects.filter(product_id__in=[line.product_id for line in short]).values_list(
            "product_id", "on_hand"
        )
    )
    return [
        {
            "product_id": line.product_id,
            "requested": line.quantity,
            "available": on_hand.get(line.product_id, 0)
            if products[line.product_id].is_active
            else 0,
        }
        for line in short
    ]


def _validate_lines(lines: Sequence[LineRequest]) -> None:
    problems = []
    if not lines:
        problems.append("At least one line is needed.")
    product_ids = [line.product_id for line in lines]
    if len(set(product_ids)) != len(product_ids):
        problems.append("Each product may appear only once.")
    if any(line.quantity < 1 for line in lines):
        problems.append("Quantities must be 1 or more.")
    if problems:
        raise InvalidInputError(details={"lines": problems})


def _same_lines_or_conflict(reservation: Reservation, lines: Sequence[LineRequest]) -> Reservation:
    held = dict(reservation.lines.values_list("product_id", "quantity"))
    asked = {line.product_id: line.quantity for line in lines}
    if held != asked:
        raise ConflictError(
            f"Order '{reservation.order_id}' already has a reservation with other lines.",
            details={"order_id": ["Already reserved with other lines."]},
        )
    return reservation


def reservation_release(*, order_id: str, keep_sold: bool = False) -> Reservation:
    """Give the units back to on_hand. Releasing twice changes nothing.

    A committed reservation gives its sold units back too (a paid order that is cancelled),
    unless `keep_sold` says the caller may only undo a reservation that was never paid: then
    a committed one is a conflict and nothing moves.
    """
    with transaction.atomic():
        reservation = _reservation_locked(order_id)
        if reservation.status in (Status.RELEASED, Status.EXPIRED):
            return reservation
        if keep_sold and reservation.status == Status.COMMITTED:
            raise ConflictError(
                f"The reservation for order '{order_id}' is committed; its units are sold.",
                details={"status": reservation.status},
            )
        _transition(reservation, Status.RELEASED)
    return reservation


def reservation_commit(*, order_id: str) -> Reservation:
    """Mark the units sold (the order is paid). Committing twice changes nothing.

    A reservation that was released or expired has given its units back and cannot be
    committed: 409. An active one past its expiry time still holds its units until the expiry
    job releases it, so it can be committed.
    """
    with transaction.atomic():
        reservation = _reservation_locked(order_id)
        if reservation.status == Status.COMMITTED:
            return reservation
        if reservation.status in (Status.RELEASED, Status.EXPIRED):
            raise ConflictError(
                f"The reservation for order '{order_id}' is {reservation.status}; "
                "it cannot be committed.",
                details={"status": reservation.status},
            )
        _transition(reservation, Status.COMMITTED)
    return reservation


def reservation_expire_overdue(*, now: datetime | None = None, limit: int = 500) -> int:
    """Release active reservations past their expiry time; returns how many expired.

    Each reservation is expired in its own short transaction, and rows another process is
    working on are skipped, so several runners may work at once.
    """
    now = now or timezone.now()
    due = list(
        Reservation.objects.filter(status=Status.ACTIVE, expires_at__lte=now)
        .order_by("expires_at")
        .values_list("pk", flat=True)[:limit]
    )
    expired = 0
    for pk in due:
        with transaction.atomic():
            reservation = (
                Reservation.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=Status.ACTIVE, expires_at__lte=now)
                .first()
            )
            if reservation is None:  # committed, released or taken by another runner
                continue
            _transition(reservation, Status.EXPIRED)
            expired += 1
    return expired


def _reservation_locked(order_id: str) -> Reservation:
    reservation = Reservation.objects.select_for_update().filter(order_id=order_id).first()
    if reservation is None:
        raise NotFoundError(f"There is no reservation for order '{order_id}'.")
    return reservation


def _transition(reservation: Reservation, target: str) -> None:
    source_field, target_field = TRANSITIONS[(reservation.status, target)]
    for line in reservation.lines.order_by("product_id"):
        moved = Stock.objects.filter(
            product_id=line.product_id, **{f"{source_field}__gte": line.quantity}
        ).update(
            **{
                source_field: F(source_field) - line.quantity,
                target_field: F(target_field) + line.quantity,
            }
        )
        if moved != 1:
            raise StockInvariantError(
                f"Product {line.product_id} holds fewer {source_field} units than reservation "
                f"'{reservation.order_id}' says."
            )
    reservation.status = target
    reservation.save(update_fields=["status", "updated_at"])
    if PUBLIC_COUNTER in (source_field, target_field):
        catalog_changed()
