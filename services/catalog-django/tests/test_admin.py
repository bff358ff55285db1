"""The Django admin for staff, under the public prefix, with its static files."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from catalog.models import CatalogVersion, Product
from tests.factories import CategoryFactory, ProductFactory, ReservationFactory

pytestmark = pytest.mark.django_db

ADMIN = "/api/catalog/django-admin/"


@pytest.fixture
def staff_client(client):
    User.objects.create_superuser("staff", "staff@example.com", "a-long-password")
    client.login(username="staff", password="a-long-password")
    return client


def _version() -> int:
    return CatalogVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def test_login_page_and_its_static_files_are_served(client):
    page = client.get(f"{ADMIN}login/")
    css = client.get("/api/catalog/static/admin/css/base.css")

    assert page.status_code == 200
    assert b"/api/catalog/static/admin/css/base.css" in page.content
    assert css.status_code == 200


def test_pages_render_for_staff(staff_client):
    product = ProductFactory()
    reservation = ReservationFactory()

    for path in [
        ADMIN,
        f"{ADMIN}catalog/category/",
        f"{ADMIN}catalog/product/",
        f"{ADMIN}catalog/product/{product.pk}/change/",
        f"{ADMIN}catalog/reservation/",
        f"{ADMIN}catalog/reservation/{reservation.pk}/change/",
    ]:
        assert staff_client.get(path).status_code == 200, path


def test_editing_a_product_goes_through_the_services(staff_client):
    product = ProductFactory(price=Decimal("10.00"))
    version = _version()
    form = {
        "name": product.name,
        "description": "New words.",
        "price": "12.00",
        "currency": "EUR",
        "category": product.category_id,
        "attributes": "{}",
        "is_active": "",
        "stock-TOTAL_FORMS": "1",
        "stock-INITIAL_FORMS": "1",
        "stock-MIN_NUM_FORMS": "0",
        "stock-MAX_NUM_FORMS": "1",
        "stock-0-product": product.pk,
    }

    response = staff_client.post(f"{ADMIN}catalog/product/{product.pk}/change/", form)

    assert response.status_code == 302, response.content[:2000]
    product.refresh_from_db()
    assert (product.price, product.description, product.is_active) == (
        Decimal("12.00"),
        "New words.",
        False,
    )
    assert _version() > version


def test_products_are_neither_added_nor_deleted_here(staff_client):
    product = ProductFactory()

    assert staff_client.get(f"{ADMIN}catalog/product/add/").status_code == 403
    assert staff_client.get(f"{ADMIN}catalog/product/{product.pk}/delete/").status_code == 403
    assert Product.objects.filter(pk=product.pk).exists()


def test_categories_are_managed_here_and_bump_the_version(staff_client):
    parent = CategoryFactory()
    version = _version()

    response = staff_client.post(
        f"{ADMIN}catalog/category/add/",
        {"name": "Lamps", "slug": "lamps", "parent": parent.pk, "position": 0},
    )

    assert response.status_code == 302
    assert _version() > version


def test_the_page_after_a_change_says_what_was_done(staff_client):
    response = staff_client.post(
        f"{ADMIN}catalog/category/add/",
        {"name": "Lamps", "slug": "lamps", "position": 0},
        follow=True,
    )

    assert b"was added successfully" in response.content


def test_a_category_cannot_move_inside_itself(staff_client):
    parent = CategoryFactory(slug="parent")
    child = CategoryFactory(slug="child", parent=parent)

    response = staff_client.post(
        f"{ADMIN}catalog/category/{parent.pk}/change/",
        {"name": parent.name, "slug": parent.slug, "parent": child.pk, "position": 0},
    )

    assert response.status_code == 200  # the form again, with the error
    assert b"cannot be inside itself" in response.content
    parent.refresh_from_db()
    assert parent.parent is None
