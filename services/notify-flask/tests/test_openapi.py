"""The OpenAPI document is valid and describes exactly the routes the app serves."""

import re

from openapi_spec_validator import validate

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
