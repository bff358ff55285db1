"""Routes of the catalog. Public ones are mounted under /api/catalog/, internal ones under
/internal/ (config/urls.py)."""

from django.urls import path

from catalog.api import views

public_urlpatterns = [
    path("products/", views.ProductListApi.as_view(), name="product-list"),
    path("products/<str:key>/", views.ProductDetailApi.as_view(), name="product-detail"),
    path("categories/", views.CategoryListApi.as_view(), name="category-list"),
    path("images/<slug:slug>/<int:n>.svg", views.ProductImageApi.as_view(), name="product-image"),
    path(
        "admin/products/",
        views.AdminProductCollectionApi.as_view(),
        name="admin-product-collection",
    ),
    path(
        "admin/products/<int:product_id>/",
        views.AdminProductItemApi.as_view(),
        name="admin-product-item",
    ),
    path(
        "admin/products/<int:product_id>/deactivate/",
        views.AdminProductDeactivateApi.as_view(),
        name="admin-product-deactivate",
    ),
    path(
        "admin/products/<int:product_id>/activate/",
        views.AdminProductActivateApi.as_view(),
        name="admin-product-activate",
    ),
    path(
        "admin/products/<int:product_id>/stock/",
        views.AdminStockSetApi.as_view(),
        name="admin-product-stock",
    ),
]

internal_urlpatterns = [
    path("reservations/", views.ReservationCreateApi.as_view(), name="reservation-create"),
    path(
        "reservations/<str:order_id>/",
        views.ReservationDetailApi.as_view(),
        name="reservation-detail",
    ),
    path(
        "reservations/<str:order_id>/release/",
        views.ReservationReleaseApi.as_view(),
        name="reservation-release",
    ),
    path(
        "reservations/<str:order_id>/commit/",
        views.ReservationCommitApi.as_view(),
        name="reservation-commit",
    ),
]
