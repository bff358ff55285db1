"""The Django admin for staff, at /api/catalog/django-admin/.

Staff manage the category tree here, correct product texts and prices, and inspect stock and
reservations. Product changes go through the same services as the API, so they keep the same
rules and bump the catalog version that cached reads depend on. Products are created, and stock
is set, through the admin API (the shop's back-office); products are never deleted, only
deactivated, because orders and reservations refer to them.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from catalog import services
from catalog.models import Category, Product, Reservation, ReservationLine


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_editable = ["position"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(
        self, request: HttpRequest, obj: Category, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        services.catalog_changed()

    def delete_model(self, request: HttpRequest, obj: Category) -> None:
        super().delete_model(request, obj)
        services.catalog_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Category]) -> None:
        super().delete_queryset(request, queryset)
        services.catalog_changed()


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "category", "price", "is_active", "updated_at"]
    list_filter = ["is_active", "category"]
    search_fields = ["sku", "name", "slug"]
    list_select_related = ["category"]
    fields = [
        "sku",
        "slug",
        "name",
        "description",
        "price",
        "currency",
        "category",
        "attributes",
        "is_active",
        "stock",
        "images",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["sku", "slug", "stock", "images", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Product, form: ModelForm, change: bool) -> None:
        changes: dict[str, Any] = {}
        for name in form.changed_data:
            if name == "category":
                changes["category_id"] = obj.category_id
            elif name != "is_active":
                changes[name] = getattr(obj, name)
        services.product_update(product_id=obj.pk, changes=changes)  # type: ignore[arg-type]
        if "is_active" in form.changed_data:
            if obj.is_active:
                services.product_activate(product_id=obj.pk)
            else:
                services.product_deactivate(product_id=obj.pk)


class ReservationLineInline(admin.TabularInline):
    model = ReservationLine
    extra = 0
    readonly_fields = ["product", "quantity", "unit_price"]
    can_delete = False


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    """Read-only: reservations change only through the internal API and the expiry job."""

    list_display = ["order_id", "status", "expires_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["order_id"]
    inlines = [ReservationLineInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
