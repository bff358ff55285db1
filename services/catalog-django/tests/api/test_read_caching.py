"""Anonymous catalog reads are cacheable and cheap to revalidate; other answers are private."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.http import http_date

from catalog.models import CatalogVersion
from catalog.services import catalog_changed, product_update
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

READS = ["/api/catalog/products/", "/api/catalog/products/{slug}/", "/api/catalog/categories/"]


@pytest.fixture
def product():
    product = ProductFactory(slug="brass-lamp")
    # Last changed a minute ago, so Last-Modified is sent (see the last test for why not always).
    CatalogVersion.objects.update_or_create(
        pk=1, defaults={"version": 7, "changed_at": timezone.now() - timedelta(minutes=1)}
    )
    return product


@pytest.mark.parametrize("path", READS)
def test_anonymous_reads_are_public_and_carry_validators(api_client, product, path):
    response = api_client.get(path.format(slug=product.slug))

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=5"
    assert response["ETag"].startswith('W/"catalog-')
    assert response["Last-Modified"]
    assert "Authorization" in response["Vary"]


@pytest.mark.parametrize("path", READS)
def test_if_none_match_gets_304_without_a_body(
    api_client, product, path, django_assert_num_queries
):
    url = path.format(slug=product.slug)
    etag = api_client.get(url)["ETag"]

    with django_assert_num_queries(1):  # only the catalog version
        response = api_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=5"


@pytest.mark.parametrize("path", READS)
def test_if_modified_since_gets_304(api_client, product, path):
    url = path.format(slug=product.slug)
    last_modified = api_client.get(url)["Last-Modified"]

    assert api_client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_any_write_changes_the_validators(api_client, product):
    url = "/api/catalog/products/"
    etag = api_client.get(url)["ETag"]

    product_update(product_id=product.pk, changes={"price": Decimal("1.23")})
    response = api_client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["results"][0]["price"] == "1.23"


def test_old_if_modified_since_gets_the_body(api_client, product):
    an_hour_ago = http_date((timezone.now() - timedelta(hours=1)).timestamp())

    assert (
        api_client.get("/api/catalog/categories/", HTTP_IF_MODIFIED_SINCE=an_hour_ago).status_code
        == 200
    )


def test_callers_with_a_token_get_private_answers(customer_client, product):
    response = customer_client.get("/api/catalog/products/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_admin_answers_are_never_stored(admin_client, product):
    response = admin_client.get("/api/catalog/admin/products/")

    assert response["Cache-Control"] == "private, no-store"


def test_max_age_is_configurable(api_client, product, settings):
    settings.CATALOG_CACHE_MAX_AGE = 30

    assert api_client.get("/api/catalog/categories/")["Cache-Control"] == "public, max-age=30"


def test_no_last_modified_within_the_second_of_a_change(api_client, product, monkeypatch):
    # HTTP dates count whole seconds: a second change within this second would carry the same
    # date, and a client asking If-Modified-Since would wrongly get a 304. The ETag still works.
    catalog_changed()
    changed_at = CatalogVersion.objects.get(pk=1).changed_at.timestamp()
    monkeypatch.setattr("shopcore.http.time.time", lambda: int(changed_at) + 0.999)

    response = api_client.get("/api/catalog/products/")
    assert "Last-Modified" not in response
    assert (
        api_client.get("/api/catalog/products/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )

    monkeypatch.setattr("shopcore.http.time.time", lambda: int(changed_at) + 1.0)
    assert api_client.get("/api/catalog/products/")["Last-Modified"] == http_date(int(changed_at))
