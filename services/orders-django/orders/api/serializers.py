"""Input and output shapes of the cart and orders API. Inputs are strict: unknown fields are
a 400, so nobody can set a price, a status or an owner."""

import re
from datetime import UTC, datetime

from django.conf import settings
from rest_framework import serializers

from orders.countries import ISO_3166_ALPHA_2
from orders.models import Order
from orders.payments import Card, luhn_valid
from orders.state import Actor, Status, transition_allowed
from shopcore.pagination import PageOutput, PageParams
from shopcore.serializers import StrictInputSerializer

# --- Cart -----------------------------------------------------------------------------------


class CartItemAddInput(StrictInputSerializer):
    product_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, default=1)

    def validate_quantity(self, value: int) -> int:
        return _quantity_within_limit(value)


class CartItemUpdateInput(StrictInputSerializer):
    quantity = serializers.IntegerField(min_value=1)

    def validate_quantity(self, value: int) -> int:
        return _quantity_within_limit(value)


def _quantity_within_limit(value: int) -> int:
    if value > settings.CART_MAX_QUANTITY:
        raise serializers.ValidationError(
            f"At most {settings.CART_MAX_QUANTITY} units of a product per order."
        )
    return value


class CartItemOutput(serializers.Serializer):
    product_id = serializers.IntegerField()
    sku = serializers.CharField()
    slug = serializers.CharField()
    name = serializers.CharField()
    image = serializers.CharField()
    unit_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="null when unavailable"
    )
    currency = serializers.CharField()
    quantity = serializers.IntegerField()
    line_total = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="null when unavailable"
    )
    available = serializers.BooleanField(
        help_text="false when the catalog no longer sells the product (removed or inactive)"
    )
    in_stock = serializers.BooleanField(help_text="whether the quantity can be sold right now")


class CartOutput(serializers.Serializer):
    items = CartItemOutput(many=True)
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    item_count = serializers.IntegerField()


# --- Checkout -------------------------------------------------------------------------------


class AddressInput(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    postal_code = serializers.RegexField(r"^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$", max_length=12)
    country = serializers.CharField(
        min_length=2, max_length=2, help_text="ISO 3166-1 alpha-2, e.g. DE"
    )

    def validate_country(self, value: str) -> str:
        code = value.upper()
        if code not in ISO_3166_ALPHA_2:
            raise serializers.ValidationError("Not an ISO 3166-1 alpha-2 country code.")
        return code


_EXPIRY = re.compile(r"^(0[1-9]|1[0-2])/([0-9]{2})$")


class PaymentInput(StrictInputSerializer):
    card_number = serializers.CharField(max_length=23, help_text="digits; spaces are ignored")
    expiry = serializers.CharField(max_length=5, help_text="MM/YY")
    cvc = serializers.RegexField(r"^[0-9]{3,4}$", help_text="3 or 4 digits")

    def validate_card_number(self, value: str) -> str:
        digits = value.replace(" ", "")
        if not digits.isdigit() or not 12 <= len(digits) <= 19:
            raise serializers.ValidationError("A card number is 12 to 19 digits.")
        if not luhn_valid(digits):
            raise serializers.ValidationError("This is not a valid card number.")
        return digits

    def validate_expiry(self, value: str) -> str:
        match = _EXPIRY.match(value)
        if not match:
            raise serializers.ValidationError("Use MM/YY.")
        month, year = int(match[1]), 2000 + int(match[2])
        today = datetime.now(UTC)
        if (year, month) < (today.year, today.month):
            raise serializers.ValidationError("This card has expired.")
        return value


class CheckoutInput(StrictInputSerializer):
    shipping_address = AddressInput()
    payment = PaymentInput()

    def to_arguments(self) -> dict:
        payment = self.validated_data["payment"]
        return {
            "shipping_address": dict(self.validated_data["shipping_address"]),
            "card": Card(
                number=payment["card_number"], expiry=payment["expiry"], cvc=payment["cvc"]
            ),
        }


class OrderCancelInput(StrictInputSerializer):
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class EmptyInput(StrictInputSerializer):
    """Actions that take no input: any field sent is refused."""


class AdminOrderListInput(PageParams):
    status = serializers.ChoiceField(choices=Status.choices, required=False)


# --- Orders ---------------------------------------------------------------------------------

MONEY = {"max_digits": 12, "decimal_places": 2}


class OrderSummaryOutput(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    total = serializers.DecimalField(**MONEY)
    currency = serializers.CharField()
    item_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class AdminOrderSummaryOutput(OrderSummaryOutput):
    user_id = serializers.IntegerField()


class OrderPageOutput(PageOutput):
    results = OrderSummaryOutput(many=True)


class AdminOrderPageOutput(PageOutput):
    results = AdminOrderSummaryOutput(many=True)


class OrderLineOutput(serializers.Serializer):
    product_id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    unit_price = serializers.DecimalField(**MONEY)
    quantity = serializers.IntegerField()
    line_total = serializers.DecimalField(**MONEY)


class AddressOutput(serializers.Serializer):
    name = serializers.CharField()
    line1 = serializers.CharField()
    line2 = serializers.CharField()
    city = serializers.CharField()
    postal_code = serializers.CharField()
    country = serializers.CharField()


class OrderHistoryOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, source="to_status")
    at = serializers.DateTimeField()
    actor = serializers.ChoiceField(choices=Actor.choices)


class OrderOutput(serializers.Serializer):
    id = serializers.UUIDField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    lines = OrderLineOutput(many=True)
    subtotal = serializers.DecimalField(**MONEY)
    shipping = serializers.DecimalField(**MONEY)
    tax = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    currency = serializers.CharField()
    shipping_address = AddressOutput()
    history = OrderHistoryOutput(many=True)
    can_cancel = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_can_cancel(self, order: Order) -> bool:
        return transition_allowed(order.status, Status.CANCELLED)


class InternalOrderOutput(OrderOutput):
    """What other services (notify) read about an order: the public shape plus the owner."""

    user_id = serializers.IntegerField()
    payment_id = serializers.CharField()
    failure_reason = serializers.CharField()
    updated_at = serializers.DateTimeField()
