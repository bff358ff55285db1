"""The URL map: the cart under /api/cart/, orders under /api/orders/, services under /internal/.

/healthz and /readyz (also under /api/orders/) are answered by
shopcore.middleware.HealthCheckMiddleware before host validation, so they do not appear here.
"""

from django.conf import settings
from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView

from orders.api.urls import cart_urlpatterns, internal_urlpatterns, order_urlpatterns

urlpatterns = [
    path(
        f"{settings.API_PREFIX}openapi.json",
        SpectacularJSONAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="openapi",
    ),
    path(settings.CART_PREFIX, include((cart_urlpatterns, "cart"))),
    path(settings.API_PREFIX, include((order_urlpatterns, "orders"))),
    path("internal/", include((internal_urlpatterns, "orders-internal"))),
]

handler400 = "shopcore.errors.bad_request"
handler403 = "shopcore.errors.permission_denied"
handler404 = "shopcore.errors.not_found"
handler500 = "shopcore.errors.server_error"
