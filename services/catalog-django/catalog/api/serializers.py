"""Input and output shapes of the catalog API, one explicit serializer per direction.

Inputs reject fields they do not declare (shopcore.serializers.StrictInputSerializer). Outputs
read plain attributes prepared by the views and selectors; none of them queries.

The public product reads build their shapes from plain rows with the functions after the
serializers (product_summary_data, product_detail_data): the serializers stay the declaration
the OpenAPI document is made from, and tests hold the functions to exactly their output.
"""

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Currency, Reservation
from catalog.selectors import ORDERINGS, CategoryNode
from shopcore.pagination import MAX_PAGE_SIZE, PageOutput, PageParams
from shopcore.serializers import StrictInputSerializer

MAX_PRICE = Decimal("99999999.99")

# -- query parameters -----------------------------------------------------------------------------


class ProductListParams(PageParams):
    category = serializers.SlugField(
        required=False, max_length=80, help_text="A category slug; includes its subcategories."
    )
    min_price = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0"), required=False
    )
    max_price = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0"), required=False
    )
    in_stock = serializers.BooleanField(required=False, allow_null=True, default=None)
    ordering = serializers.ChoiceField(
        choices=list(ORDERINGS),
        required=False,
        help_text="Without it: relevance when searching, else newest first.",
    )
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Full-text search."
    )
    ids = serializers.CharField(
        required=False,
        max_length=2000,
        help_text=f"Comma-separated product ids (at most {MAX_PAGE_SIZE}).",
    )

    def validate_ids(self, value: str) -> list[int]:
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not parts or not all(part.isdigit() and int(part) > 0 for part in parts):
            raise serializers.ValidationError("Give positive integers separated by commas.")
        if len(parts) > MAX_PAGE_SIZE:
            raise serializers.ValidationError(f"At most {MAX_PAGE_SIZE} ids.")
        return sorted({int(part) for part in parts})

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("min_price"), attrs.get("max_price")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"max_price": ["Must be greater than or equal to min_price."]}
            )
        return attrs


class AdminProductListParams(ProductListParams):
    is_active = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Without it: both."
    )


# -- outputs --------------------------------------------------------------------------------------


class CategoryRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class CategoryPathItemOutput(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CategoryDetailRefOutput(CategoryRefOutput):
    path = CategoryPathItemOutput(many=True, help_text="From the top-level category down.")


class CategoryTreeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    product_count = serializers.IntegerField(help_text="Active products, subcategories included.")
    children = serializers.SerializerMethodField()

    def get_children(self, node: Any) -> list[dict[str, Any]]:
        return CategoryTreeOutput(node.children, many=True).data


# The tree is recursive: children have the shape of their parent.
extend_schema_field(CategoryTreeOutput(many=True))(CategoryTreeOutput.get_children)


class ProductSummaryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    slug = serializers.CharField()
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField()
    image = serializers.SerializerMethodField()
    category = CategoryRefOutput()
    in_stock = serializers.SerializerMethodField()
    available = serializers.SerializerMethodField(help_text="Units free to sell.")

    def get_image(self, product: Any) -> str | None:
        return product.images[0] if product.images else None

    def get_available(self, product: Any) -> int:
        stock = getattr(product, "stock", None)
        return stock.on_hand if stock is not None and product.is_active else 0

    def get_in_stock(self, product: Any) -> bool:
        return self.get_available(product) > 0


class ProductDetailOutput(ProductSummaryOutput):
    description = serializers.CharField()
    images = serializers.ListField(child=serializers.CharField())
    attributes = serializers.DictField()
    category = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(CategoryDetailRefOutput)
    def get_category(self, product: Any) -> dict[str, Any]:
        path = self.context["category_path"]
        return CategoryDetailRefOutput(
            {
                "id": product.category.id,
                "slug": product.category.slug,
                "name": product.category.name,
                "path": [{"slug": node.slug, "name": node.name} for node in path],
            }
        ).data


class StockOutput(serializers.Serializer):
    on_hand = serializers.IntegerField()
    reserved = serializers.IntegerField()
    sold = serializers.IntegerField()


class AdminProductOutput(ProductDetailOutput):
    is_active = serializers.BooleanField()
    stock = serializers.SerializerMethodField()

    @extend_schema_field(StockOutput)
    def get_stock(self, product: Any) -> dict[str, int]:
        stock = getattr(product, "stock", None)
        if stock is None:
            return {"on_hand": 0, "reserved": 0, "sold": 0}
        return StockOutput(stock).data


class ProductPageOutput(PageOutput):
    results = ProductSummaryOutput(many=True)


class AdminProductPageOutput(PageOutput):
    results = AdminProductOutput(many=True)


# -- outputs of the public product reads, from plain rows ------------------------------------------
# A serializer instance per product (with a deep copy of its declared fields) and a model instance
# per row cost most of a page; these functions make the same dicts from selectors' rows directly.
# Values that need formatting go through the very DRF fields declared above.

_PRICE = ProductSummaryOutput().fields["price"]
_TIMESTAMP = ProductDetailOutput().fields["created_at"]


def product_summary_data(row: Mapping[str, Any]) -> dict[str, Any]:
    """ProductSummaryOutput's shape from a row of selectors.PRODUCT_SUMMARY_COLUMNS."""
    on_hand = row["stock__on_hand"]
    available = on_hand if on_hand is not None and row["is_active"] else 0
    images = row["images"]
    return {
        "id": row["id"],
        "sku": row["sku"],
        "slug": row["slug"],
        "name": row["name"],
        "price": _PRICE.to_representation(row["price"]),
        "currency": row["currency"],
        "image": images[0] if images else None,
        "category": {
            "id": row["category_id"],
            "slug": row["category__slug"],
            "name": row["category__name"],
        },
        "in_stock": available > 0,
        "available": available,
    }


def product_detail_data(
    row: Mapping[str, Any], *, category_path: Sequence[CategoryNode]
) -> dict[str, Any]:
    """ProductDetailOutput's shape from a row of selectors.PRODUCT_DETAIL_COLUMNS."""
    data = product_summary_data(row)
    data["category"]["path"] = [{"slug": node.slug, "name": node.name} for node in category_path]
    data["description"] = row["description"]
    data["images"] = [str(path) for path in row["images"]]
    data["attributes"] = {str(name): value for name, value in row["attributes"].items()}
    data["created_at"] = _TIMESTAMP.to_representation(row["created_at"])
    data["updated_at"] = _TIMESTAMP.to_representation(row["updated_at"])
    return data


# -- admin inputs ---------------------------------------------------------------------------------

SKU_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")


def _validate_slug(value: str) -> str:
    if value.isdigit():
        raise serializers.ValidationError("A slug needs at least one letter (numbers are ids).")
    return value


@extend_schema_field(
    {"oneOf": [{"type": "string", "maxLength": 200}, {"type": "number"}, {"type": "boolean"}]}
)
class AttributeValueField(serializers.Field):
    """A product attribute value: text, a number or true/false."""

    default_error_messages = {
        "invalid": "Use text (at most 200 characters), a number or a boolean."
    }

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool | int | float) or (isinstance(data, str) and len(data) <= 200):
            return data
        self.fail("invalid")
        return None

    def to_representation(self, value: Any) -> Any:
        return value


class ProductCreateInput(StrictInputSerializer):
    sku = serializers.RegexField(
        SKU_PATTERN,
        help_text="Upper-case letters, digits and dashes, 3 to 32 characters.",
        error_messages={"invalid": "Use 3 to 32 upper-case letters, digits and dashes."},
    )
    slug = serializers.SlugField(
        max_length=120,
        required=False,
        validators=[_validate_slug],
        help_text="Made from the name when left out.",
    )
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10000, allow_blank=True, required=False)
    price = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_PRICE
    )
    currency = serializers.ChoiceField(choices=Currency.choices, required=False)
    category_id = serializers.IntegerField(min_value=1)
    attributes = serializers.DictField(child=AttributeValueField(), required=False)
    is_active = serializers.BooleanField(required=False)

    def validate_attributes(self, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) > 50:
            raise serializers.ValidationError("At most 50 attributes.")
        if any(not key or len(key) > 50 for key in value):
            raise serializers.ValidationError("Attribute names have 1 to 50 characters.")
        return value


class ProductUpdateInput(ProductCreateInput):
    """The same fields, all optional (PATCH); activation has its own endpoints."""

    is_active = None


class StockSetInput(StrictInputSerializer):
    on_hand = serializers.IntegerField(min_value=0, max_value=1_000_000)


class EmptyInput(StrictInputSerializer):
    """A body with no fields (actions like deactivate); anything sent is rejected."""


# -- internal: reservations -----------------------------------------------------------------------

ORDER_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


class ReservationLineInput(StrictInputSerializer):
    product_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, max_value=1000)


class ReservationCreateInput(StrictInputSerializer):
    order_id = serializers.RegexField(
        ORDER_ID_PATTERN,
        error_messages={"invalid": "Use 1 to 64 letters, digits and . _ : -"},
    )
    lines = ReservationLineInput(many=True, allow_empty=False, max_length=100)
    ttl_seconds = serializers.IntegerField(min_value=60, max_value=86400, required=False)

    def validate_lines(self, value: list[dict[str, int]]) -> list[dict[str, int]]:
        product_ids = [line["product_id"] for line in value]
        if len(set(product_ids)) != len(product_ids):
            raise serializers.ValidationError("Each product may appear only once.")
        return value


class ReservationLineOutput(serializers.Serializer):
    product_id = serializers.IntegerField()
    sku = serializers.CharField(source="product.sku")
    name = serializers.CharField(source="product.name")
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField(source="product.currency")


class ReservationOutput(serializers.Serializer):
    order_id = serializers.CharField()
    status = serializers.ChoiceField(choices=Reservation.Status.choices)
    expires_at = serializers.DateTimeField()
    lines = ReservationLineOutput(many=True, source="lines.all")
