from django.conf import settings
from django.urls import path

from tests.project import views

prefix = settings.API_PREFIX

urlpatterns = [
    path(f"{prefix}articles/", views.ArticleListApi.as_view()),
    path(f"{prefix}articles/<int:article_id>/", views.ArticleDetailApi.as_view()),
    path(f"{prefix}admin/articles/", views.ArticleCreateApi.as_view()),
    path(f"{prefix}me/", views.CallerApi.as_view()),
    path(f"{prefix}greeting.txt", views.GreetingTextApi.as_view()),
    path(f"{prefix}fail/<slug:kind>/", views.FailApi.as_view()),
    path(f"{prefix}plain/", views.plain_get_only),
    path(f"{prefix}plain/teapot/", views.teapot),
    path(f"{prefix}plain/conditional/", views.conditional),
    path(f"{prefix}plain/forbidden/", views.plain_forbidden),
    path(f"{prefix}plain/bug/", views.plain_bug),
    path("internal/ping/", views.InternalPingApi.as_view()),
]

handler400 = "shopcore.errors.bad_request"
handler403 = "shopcore.errors.permission_denied"
handler404 = "shopcore.errors.not_found"
handler500 = "shopcore.errors.server_error"
