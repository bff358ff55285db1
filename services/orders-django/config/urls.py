"""URLs: the public API under its gateway prefixes, /internal/ for services, health at the root."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView

from core.health import healthz, readyz
from orders.api.urls import cart_urlpatterns, internal_urlpatterns, order_urlpatterns

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path(
        "api/orders/openapi.json",
        SpectacularJSONAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="openapi",
    ),
    path("api/cart/", include(cart_urlpatterns)),
    path("api/orders/", include(order_urlpatterns)),
    path("internal/", include(internal_urlpatterns)),
]

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"


def public_endpoints_only(endpoints: list) -> list:
    """drf-spectacular hook: the OpenAPI document describes what the gateway routes."""
    return [
        endpoint
        for endpoint in endpoints
        if endpoint[0].startswith(("/api/orders/", "/api/cart/"))
        and not endpoint[0].endswith("openapi.json")
    ]
