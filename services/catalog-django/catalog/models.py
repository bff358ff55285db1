"""Tables of the catalog. Rules about changing them live in services.py, reads in selectors.py.

The database guards what must never happen whatever the code does: a price of zero or less,
negative stock counters, a reservation line for nothing. The services keep these from
happening; the constraints make sure a bug cannot slip past them.
"""

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The text-search configuration of product texts (stemming, stop words). The GIN index and the
# queries must use the same one, or PostgreSQL cannot use the index.
SEARCH_CONFIG = "english"


def product_search_vector() -> SearchVector:
    """The document a product is searched by: the name weighs more than the description."""
    return SearchVector("name", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "description", weight="B", config=SEARCH_CONFIG
    )


class Category(models.Model):
    """A node of the category tree; products hang on the leaves (or on any node)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0, help_text="Order among its siblings.")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The tree must stay a tree: a category cannot become its own ancestor.
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": "A category cannot be inside itself."})
            ancestor = ancestor.parent


class Currency(models.TextChoices):
    EUR = "EUR", "Euro"


class Product(models.Model):
    sku = models.CharField("SKU", max_length=32, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.EUR)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    images = models.JSONField(default=list, blank=True, help_text="URL paths of the images.")
    attributes = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True, help_text="Inactive products are not sold.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="catalog_product_price_positive"),
        ]
        # The public list filters on active products and sorts by one of these; partial
        # indexes keep inactive products out of them. Full-text search has a GIN index on
        # product_search_vector() too, built by migration 0001 on PostgreSQL only (see
        # shopcore.db.AddIndexOnPostgresql for why it is not listed here).
        indexes = [
            models.Index(
                fields=["price", "id"], name="catalog_active_by_price", condition=Q(is_active=True)
            ),
            models.Index(
                fields=["name", "id"], name="catalog_active_by_name", condition=Q(is_active=True)
            ),
            models.Index(
                fields=["-created_at", "-id"],
                name="catalog_active_by_newest",
                condition=Q(is_active=True),
            ),
            models.Index(
                fields=["category", "price"],
                name="catalog_active_by_category",
                condition=Q(is_active=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"


class Stock(models.Model):
    """Counters per product. initial = on_hand + reserved + sold, whatever happens.

    on_hand is free to sell; a reservation moves units to reserved; a commit moves them to
    sold, a release back to on_hand.
    """

    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, primary_key=True, related_name="stock"
    )
    on_hand = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    sold = models.IntegerField(default=0)

    class Meta:
        verbose_name_plural = "stock"
        constraints = [
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="catalog_stock_on_hand_gte_0"),
            models.CheckConstraint(
                condition=Q(reserved__gte=0), name="catalog_stock_reserved_gte_0"
            ),
            models.CheckConstraint(condition=Q(sold__gte=0), name="catalog_stock_sold_gte_0"),
        ]
        indexes = [models.Index(fields=["on_hand"], name="catalog_stock_on_hand")]

    def __str__(self) -> str:
        return f"{self.on_hand} on hand, {self.reserved} reserved, {self.sold} sold"


class Reservation(models.Model):
    """Stock held for one order, all lines or none. One per order id."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        COMMITTED = "committed"
        RELEASED = "released"
        EXPIRED = "expired"

    order_id = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The expiry job looks only for active reservations past their time.
            models.Index(
                fields=["expires_at"],
                name="catalog_reservation_due",
                condition=Q(status="active"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} ({self.status})"


class ReservationLine(models.Model):
    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.IntegerField()
    unit_price = models.DecimalField(
        max_digits=10, decimal_places=2, help_text="The price when the stock was reserved."
    )

    class Meta:
        ordering = ["product_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="catalog_reservation_line_quantity_gt_0"
            ),
            models.UniqueConstraint(
                fields=["reservation", "product"], name="catalog_reservation_line_unique_product"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id}"


class CatalogVersion(models.Model):
    """One row, bumped by every write that changes what a cacheable response shows, read by each.

    Cached reads derive their ETag and Last-Modified from it with one cheap query, and a 304
    needs nothing else. Writes bump it as their last statement, so the row lock is held only
    for the instant before commit.
    """

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"catalog version {self.version}"


class ProcessedEvent(models.Model):
    """An event whose effect is committed.

    Inserted in the same transaction as the effect, so "handled" and "has its effect" never
    disagree: a redelivered event finds its row and changes nothing, and of two workers racing
    on the same event the primary key lets exactly one commit.
    """

    event_id = models.UUIDField(primary_key=True)
    event_type = models.CharField(max_length=64)
    processed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class DeadLetter(models.Model):
    """An event that could not be handled, kept whole so it can be replayed once fixed.

    It is invalid, contradicts what the catalog holds, or still failed after the bounded
    retries. The event id and type are empty when the envelope itself is what is broken.
    """

    event_id = models.UUIDField(null=True, blank=True, db_index=True)
    event_type = models.CharField(max_length=64, blank=True)
    envelope = models.JSONField()
    error = models.TextField()
    attempts = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    replayed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"dead letter {self.pk}: {self.event_type or '?'} {self.event_id or '-'}"
