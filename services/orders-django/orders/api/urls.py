from django.urls import path

from orders.api import views

cart_urlpatterns = [
    path("", views.CartApi.as_view(), name="cart"),
    path("items/", views.CartItemAddApi.as_view(), name="cart-items"),
    path("items/<int:product_id>/", views.CartItemApi.as_view(), name="cart-item"),
]

order_urlpatterns = [
    path("", views.OrdersApi.as_view(), name="orders"),
    path("admin/orders/", views.AdminOrderListApi.as_view(), name="admin-orders"),
    path("<uuid:order_id>/", views.OrderDetailApi.as_view(), name="order"),
    path("<uuid:order_id>/cancel/", views.OrderCancelApi.as_view(), name="order-cancel"),
    path("<uuid:order_id>/ship/", views.OrderShipApi.as_view(), name="order-ship"),
    path("<uuid:order_id>/deliver/", views.OrderDeliverApi.as_view(), name="order-deliver"),
]

internal_urlpatterns = [
    path("orders/<uuid:order_id>/", views.InternalOrderDetailApi.as_view(), name="internal-order"),
]
