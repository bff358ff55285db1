"""Cached reads: ETag and Last-Modified validators, 304s, and who may keep a copy."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.http import http_date
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.test import APIRequestFactory

from shopcore.http import IgnoreAcceptNegotiation, Validators
from tests.project.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article() -> Article:
    article = Article.objects.create(title="Hello")
    # Changed well before this second, so Last-Modified is usable.
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    article.refresh_from_db()
    return article


def _url(article: Article) -> str:
    return f"/api/things/articles/{article.pk}/"


def test_an_anonymous_read_may_be_kept_by_shared_caches(api_client, article):
    response = api_client.get(_url(article))

    assert response.status_code == 200
    assert response["ETag"].startswith('"article-')
    assert response["Last-Modified"] == http_date(int(article.updated_at.timestamp()))
    assert response["Cache-Control"] == "public, max-age=5"
    assert response["Vary"] == "Authorization"


def test_a_read_with_a_token_is_kept_by_nobody(customer_client, article):
    response = customer_client.get(_url(article))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Vary"] == "Authorization"


def test_a_current_etag_is_answered_304_with_the_headers(api_client, article):
    etag = api_client.get(_url(article))["ETag"]

    response = api_client.get(_url(article), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=5"


def test_an_unchanged_date_is_answered_304(api_client, article):
    last_modified = api_client.get(_url(article))["Last-Modified"]

    response = api_client.get(_url(article), HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 304


def test_a_stale_etag_gets_the_new_body(api_client, article):
    response = api_client.get(_url(article), HTTP_IF_NONE_MATCH='"article-old"')

    assert response.status_code == 200
    assert response.json()["title"] == "Hello"


def test_errors_get_no_validators_and_no_cache_headers(api_client):
    response = api_client.get("/api/things/articles/999999/")

    assert response.status_code == 404
    assert "ETag" not in response
    assert "Cache-Control" not in response


def test_last_modified_is_left_out_within_the_second_of_a_change(monkeypatch):
    # Two changes in one second would carry the same HTTP date; a client asking
    # If-Modified-Since after the first would wrongly get a 304 for the second.
    changed = timezone.now().replace(microsecond=300_000)
    validators = Validators(etag='"v1"', last_modified=changed)

    monkeypatch.setattr("shopcore.http.time.time", lambda: int(changed.timestamp()) + 0.999)
    assert validators.usable_last_modified() is None
    monkeypatch.setattr("shopcore.http.time.time", lambda: int(changed.timestamp()) + 1.0)
    assert validators.usable_last_modified() == int(changed.timestamp())


def test_without_a_date_only_the_etag_validates():
    assert Validators(etag='"v1"').usable_last_modified() is None


def test_a_single_format_view_answers_whatever_the_client_accepts(api_client):
    response = api_client.get("/api/things/greeting.txt", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"hello"


def test_a_single_format_view_takes_its_first_parser():
    negotiation = IgnoreAcceptNegotiation()
    request = APIRequestFactory().post("/", b"x", content_type="text/csv")

    assert isinstance(negotiation.select_parser(request, [JSONParser(), FormParser()]), JSONParser)
    assert negotiation.select_parser(request, []) is None
