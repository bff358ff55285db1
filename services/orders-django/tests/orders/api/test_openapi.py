"""The OpenAPI document: served, valid, complete."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_document_is_valid_openapi_3(client):
    response = client.get("/api/orders/openapi.json")

    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/cart/",
        "/api/cart/items/",
        "/api/cart/items/{product_id}/",
        "/api/orders/",
        "/api/orders/admin/orders/",
        "/api/orders/{order_id}/",
        "/api/orders/{order_id}/cancel/",
        "/api/orders/{order_id}/ship/",
        "/api/orders/{order_id}/deliver/",
        "/internal/orders/{order_id}/",
    }
    checkout = document["paths"]["/api/orders/"]["post"]
    assert {"201", "400", "402", "409", "422", "503"} <= set(checkout["responses"])
    assert any(parameter["name"] == "Idempotency-Key" for parameter in checkout["parameters"])
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_schema_generation_has_no_warnings():
    # drf-spectacular's own check: fails on any schema it had to guess.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


SNAPSHOT = Path(__file__).resolve().parents[5] / "contracts" / "openapi" / "orders.json"


def test_the_published_snapshot_is_current(client):
    """contracts/openapi/orders.json is what the SPA's types are checked against.

    Refresh it after an API change with
    `DJANGO_SETTINGS_MODULE=config.settings.test python manage.py spectacular
    --format openapi-json --file ../../contracts/openapi/orders.json`.
    """
    served = client.get("/api/orders/openapi.json").json()

    assert SNAPSHOT.is_file(), f"{SNAPSHOT} is missing"
    assert json.loads(SNAPSHOT.read_text()) == served, f"{SNAPSHOT} is out of date"
