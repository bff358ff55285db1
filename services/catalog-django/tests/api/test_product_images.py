from xml.etree import ElementTree

import pytest

from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lamp():
    home = CategoryFactory(slug="home", name="Home")
    lighting = CategoryFactory(slug="lighting", name="Lighting", parent=home)
    return ProductFactory(slug="brass-lamp", name="Brass Lamp", category=lighting)


def test_serves_a_cacheable_svg(api_client, lamp):
    response = api_client.get("/api/catalog/images/brass-lamp/1.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["ETag"].startswith('"')
    assert "default-src 'none'" in response["Content-Security-Policy"]
    root = ElementTree.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert b"Brass Lamp" in response.content


def test_every_stored_path_is_served(api_client, lamp):
    for path in lamp.images:
        assert api_client.get(path).status_code == 200


def test_revalidation_is_304(api_client, lamp):
    etag = api_client.get("/api/catalog/images/brass-lamp/2.svg")["ETag"]

    response = api_client.get("/api/catalog/images/brass-lamp/2.svg", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""


def test_images_ignore_tokens_and_accept_headers(make_token, api_client, lamp):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = api_client.get("/api/catalog/images/brass-lamp/1.svg", HTTP_ACCEPT="image/svg+xml")

    assert response.status_code == 200


def test_deactivated_products_keep_their_images(api_client):
    product = ProductFactory(is_active=False)

    assert api_client.get(product.images[0]).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/catalog/images/brass-lamp/0.svg",
        "/api/catalog/images/brass-lamp/3.svg",
        "/api/catalog/images/no-such-product/1.svg",
    ],
)
def test_unknown_images_are_404_json(api_client, lamp, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
