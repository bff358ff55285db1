"""The URL map: the public API under /api/catalog/, service calls under /internal/.

/healthz and /readyz are answered by shopcore.middleware.HealthCheckMiddleware before host
validation, so they do not appear here.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView

from catalog.api.urls import internal_urlpatterns, public_urlpatterns

admin.site.site_header = "Catalog administration"
admin.site.site_title = "Catalog admin"

urlpatterns = [
    path(settings.API_PREFIX, include((public_urlpatterns, "catalog"))),
    path(
        f"{settings.API_PREFIX}openapi.json",
        SpectacularJSONAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="openapi",
    ),
    path(f"{settings.API_PREFIX}django-admin/", admin.site.urls),
    path("internal/", include((internal_urlpatterns, "catalog-internal"))),
]

handler400 = "shopcore.errors.bad_request"
handler403 = "shopcore.errors.permission_denied"
handler404 = "shopcore.errors.not_found"
handler500 = "shopcore.errors.server_error"
