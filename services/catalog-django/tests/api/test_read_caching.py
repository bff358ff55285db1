"""Anonymous catalog reads are cacheable and cheap to revalidate; other answers are private.

Their bodies are kept per catalog version: a read of an unchanged catalog costs one query, and
the read after any write shows the write.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.http import http_date

from catalog.models import CatalogVersion, Product
from catalog.services import (
    LineRequest,
    catalog_changed,
    product_update,
    reservation_commit,
    reservation_reserve,
    stock_set,
)
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


# -- bodies kept per catalog version ---------------------------------------------------------------

SEARCH = "/api/catalog/products/?q=lamp"


@pytest.fixture
def lamp():
    product = ProductFactory(slug="brass-lamp", name="Brass Lamp", stock__on_hand=4)
    CatalogVersion.objects.update_or_create(pk=1, defaults={"version": 3})
    return product


def _lamp_as_shown(api_client, path: str) -> dict:
    """The lamp as a read shows it: the detail, or its entry in a list."""
    body = api_client.get(path).json()
    if "results" not in body:
        return body
    (summary,) = body["results"]
    return summary


@pytest.mark.parametrize("path", [*READS, SEARCH])
def test_a_read_of_an_unchanged_catalog_costs_one_query(
    api_client, lamp, path, django_assert_num_queries
):
    url = path.format(slug=lamp.slug)
    first = api_client.get(url)

    with django_assert_num_queries(1):  # only the catalog version
        again = api_client.get(url)

    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json"
    assert again["ETag"] == first["ETag"]


# Every kind of write that changes what a read shows, and what the read shows after it.
WRITES = {
    "price": (
        lambda lamp: product_update(product_id=lamp.pk, changes={"price": Decimal("1.23")}),
        {"price": "1.23", "available": 4},
    ),
    "stock": (
        lambda lamp: stock_set(product_id=lamp.pk, on_hand=0),
        {"price": "19.99", "available": 0, "in_stock": False},
    ),
    "reservation": (
        lambda lamp: reservation_reserve(order_id="order-1", lines=[LineRequest(lamp.pk, 4)]),
        {"price": "19.99", "available": 0, "in_stock": False},
    ),
}


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize(
    "path", ["/api/catalog/products/", "/api/catalog/products/{slug}/", SEARCH]
)
def test_the_read_after_a_write_shows_the_write(
    api_client, lamp, write, path, django_assert_num_queries
):
    url = path.format(slug=lamp.slug)
    change, shown_after = WRITES[write]
    assert _lamp_as_shown(api_client, url)["available"] == 4
    with django_assert_num_queries(1):  # this body is kept now
        assert _lamp_as_shown(api_client, url)["available"] == 4

    change(lamp)

    assert shown_after.items() <= _lamp_as_shown(api_client, url).items()


def test_a_paid_order_keeps_the_bodies(api_client, lamp, django_assert_num_queries):
    # Committing a reservation moves reserved units to sold, which no public read shows.
    reservation_reserve(order_id="order-1", lines=[LineRequest(lamp.pk, 1)])
    url = f"/api/catalog/products/{lamp.slug}/"
    before = api_client.get(url)

    reservation_commit(order_id="order-1")

    with django_assert_num_queries(1):
        after = api_client.get(url)
    assert after.content == before.content
    assert after.json()["available"] == 3


def test_a_write_through_the_admin_api_is_seen_by_anonymous_readers(api_client, admin_client, lamp):
    url = f"/api/catalog/products/{lamp.slug}/"
    assert api_client.get(url).json()["in_stock"] is True

    admin_client.put(f"/api/catalog/admin/products/{lamp.pk}/stock/", {"on_hand": 0})
    assert api_client.get(url).json()["in_stock"] is False

    admin_client.post(f"/api/catalog/admin/products/{lamp.pk}/deactivate/")
    assert api_client.get(url).status_code == 404
    assert api_client.get("/api/catalog/products/").json()["count"] == 0


def test_the_same_parameters_in_another_order_share_a_body(
    api_client, lamp, django_assert_num_queries
):
    ProductFactory.create_batch(3)
    first = api_client.get("/api/catalog/products/?page_size=2&ordering=name")

    with django_assert_num_queries(1):
        again = api_client.get("/api/catalog/products/?ordering=name&page_size=2")

    assert again.content == first.content
    assert again.json()["next"] == "/api/catalog/products/?ordering=name&page=2&page_size=2"


def test_an_invalid_query_is_refused_every_time(api_client, lamp):
    for _ in range(2):
        assert api_client.get("/api/catalog/products/?page_size=1000").status_code == 400


def test_callers_with_a_token_share_the_body_but_not_the_headers(api_client, customer_client, lamp):
    url = "/api/catalog/products/"
    signed_in = customer_client.get(url)
    anonymous = api_client.get(url)
    signed_in_again = customer_client.get(url)

    assert anonymous.content == signed_in.content == signed_in_again.content
    assert signed_in["Cache-Control"] == signed_in_again["Cache-Control"] == "private, no-store"
    assert anonymous["Cache-Control"] == "public, max-age=5"


def test_what_only_admins_see_never_reaches_the_public(api_client, admin_client, lamp):
    ProductFactory(name="Withdrawn", is_active=False)

    admin_names = [
        p["name"] for p in admin_client.get("/api/catalog/admin/products/").json()["results"]
    ]
    public_names = [p["name"] for p in api_client.get("/api/catalog/products/").json()["results"]]

    assert sorted(admin_names) == ["Brass Lamp", "Withdrawn"]
    assert public_names == ["Brass Lamp"]


def test_bodies_of_a_database_made_again_are_not_served(api_client, lamp):
    # A database recreated from scratch counts versions from the start again; the time of the
    # change tells its bodies from the old ones.
    url = f"/api/catalog/products/{lamp.slug}/"
    assert api_client.get(url).json()["name"] == "Brass Lamp"

    Product.objects.filter(pk=lamp.pk).update(name="Copper Lamp")
    CatalogVersion.objects.filter(pk=1).update(changed_at=timezone.now() + timedelta(seconds=1))

    assert api_client.get(url).json()["name"] == "Copper Lamp"
