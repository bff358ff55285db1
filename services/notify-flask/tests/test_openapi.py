"""The OpenAPI document is valid, describes exactly the routes the app serves, and promises
exactly the fields the API sends."""

import json
import re

from openapi_spec_validator import validate
from tests.factories import NotificationFactory

from notify.__main__ import main
from notify.openapi import OPERATIONS, spec_dict


def test_the_document_is_valid_openapi_3():
    validate(spec_dict())


def test_it_is_served_under_the_public_prefix(client):
    response = client.get("/api/notifications/openapi.json")

    assert response.status_code == 200
    assert response.get_json() == spec_dict()


def test_the_document_and_the_url_map_hold_the_same_operations(app):
    served = {
        (method.lower(), re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }

    assert {(op.method, op.path) for op in OPERATIONS} == served


def test_every_field_the_api_sends_is_required_in_the_document(client, peers):
    NotificationFactory(user_id=1, link=None)
    headers = {"Authorization": f"Bearer {peers.user_token(1)}"}
    page = client.get("/api/notifications/?page_size=1", headers=headers).get_json()
    read = client.post(f"/api/notifications/{page['results'][0]['id']}/read/", headers=headers)
    schemas = spec_dict()["components"]["schemas"]

    # null values included: a field that may be null is still always there.
    assert page["next"] is None
    assert page["results"][0]["link"] is None
    assert set(schemas["NotificationPage"]["required"]) == set(page)
    assert set(schemas["Notification"]["required"]) == set(page["results"][0])
    assert set(schemas["Notification"]["required"]) == set(read.get_json())


def test_fields_that_may_be_null_say_so():
    schemas = spec_dict()["components"]["schemas"]

    for schema, field in [
        ("NotificationPage", "next"),
        ("NotificationPage", "previous"),
        ("Notification", "link"),
        ("Notification", "read_at"),
    ]:
        assert schemas[schema]["properties"][field]["nullable"] is True, (schema, field)
    assert "nullable" not in schemas["Notification"]["properties"]["created_at"]


def test_the_document_can_be_written_for_snapshots(tmp_path):
    path = tmp_path / "notify.json"

    assert main(["openapi", str(path)]) == 0

    assert json.loads(path.read_text()) == spec_dict()


def test_the_command_line_explains_itself(capsys):
    assert main([]) == 2
    assert "usage: python -m notify openapi [PATH]" in capsys.readouterr().err
