"""Views that use each shopcore piece the way the services' views do, so tests can call them."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import condition, require_GET
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shopcore.exceptions import ConflictError, NotFoundError, ServiceUnavailableError
from shopcore.http import IgnoreAcceptNegotiation, Validators, cached_read
from shopcore.pagination import PageOutput, PageParams, page_envelope, paginate
from shopcore.permissions import IsAdmin, IsService
from shopcore.serializers import ErrorOutput, StrictInputSerializer
from tests.project.models import Article

CACHE_MAX_AGE = 5


class ArticleOutput(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ["id", "title", "body", "published"]


class ArticlePageOutput(PageOutput):
    results = ArticleOutput(many=True)


class ArticleCreateInput(StrictInputSerializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(max_length=100)
    body = serializers.CharField(required=False, allow_blank=True)


class ArticleListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[PageParams], responses={200: ArticlePageOutput})
    def get(self, request: Request) -> Response:
        params = PageParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = paginate(Article.objects.all(), **params.validated_data)
        return Response(page_envelope(request, page, ArticleOutput(page.items, many=True).data))


class ArticleDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: ArticleOutput, 404: OpenApiResponse(ErrorOutput, description="No such")}
    )
    def get(self, request: Request, article_id: int) -> Any:
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            raise NotFoundError(f"No article has the id {article_id}.")
        return cached_read(
            request,
            validators=Validators(
                etag=f'"article-{article.pk}-{article.updated_at.timestamp()}"',
                last_modified=article.updated_at,
            ),
            build=lambda: Response(ArticleOutput(article).data),
            max_age=CACHE_MAX_AGE,
        )


class ArticleCreateApi(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(request=ArticleCreateInput, responses={201: ArticleOutput})
    def post(self, request: Request) -> Response:
        data = ArticleCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        title = data.validated_data["title"]
        if Article.objects.filter(title=title).exists():
            raise ConflictError("An article has this title.", details={"title": [title]})
        article = Article.objects.create(**data.validated_data)
        return Response(ArticleOutput(article).data, status=201)


class CallerApi(APIView):
    """Who the token says the caller is (the default permission: any verified token)."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        user = request.user
        return Response(
            {
                "id": user.id,
                "roles": sorted(user.roles),
                "audiences": sorted(user.audiences),
                "token_id": user.token_id,
            }
        )


class InternalPingApi(APIView):
    permission_classes = [IsService]

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response({"caller": request.user.id})


class PlainTextRenderer(BaseRenderer):
    media_type = "text/plain"
    format = "txt"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        return str(data).encode()


class GreetingTextApi(APIView):
    """Plain text whatever the client accepts."""

    permission_classes = [AllowAny]
    renderer_classes = [PlainTextRenderer]
    content_negotiation_class = IgnoreAcceptNegotiation

    @extend_schema(responses={200: str})
    def get(self, request: Request) -> Response:
        return Response("hello")


# What each kind of failure raises inside an API view.
FAILURES: dict[str, Callable[[], Exception]] = {
    "django-not-found": lambda: Http404("gone"),
    "django-forbidden": DjangoPermissionDenied,
    "django-invalid": lambda: DjangoValidationError({"when": ["Not a date."]}),
    "invalid-body": lambda: serializers.ValidationError(["The dates are in the wrong order."]),
    "invalid-value": lambda: serializers.ValidationError("Not a number."),
    "conflict": lambda: ConflictError("It clashes.", details={"with": 7}),
    "unavailable": ServiceUnavailableError,
    "bug": lambda: RuntimeError("a bug"),
}


class FailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request: Request, kind: str) -> Response:
        raise FAILURES[kind]()


# Plain Django views: their errors reach the client through Django's handlers and
# shopcore.middleware.JsonErrorMiddleware, never through DRF.


@require_GET
def plain_get_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def teapot(request: HttpRequest) -> HttpResponse:
    return HttpResponse("The pot is a teapot.", status=418, content_type="text/plain")


@condition(etag_func=lambda request: '"v1"')
def conditional(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def plain_forbidden(request: HttpRequest) -> HttpResponse:
    raise DjangoPermissionDenied


def plain_bug(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a plain view")
