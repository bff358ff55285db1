import json
import re

from openapi_spec_validator import validate

from auth.__main__ import main
from auth.openapi import spec_dict

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def test_the_served_document_is_valid_openapi_3(client):
    response = client.get("/api/auth/openapi.json")

    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    validate(document)


def test_the_document_lists_exactly_the_routes_of_the_app(app):
    documented = {
        (method.upper(), path)
        for path, operations in spec_dict()["paths"].items()
        for method in operations
        if method in HTTP_METHODS
    }
    routed = {
        (method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }

    assert documented == routed


def test_inputs_refuse_unknown_fields_in_the_document_too():
    schemas = spec_dict()["components"]["schemas"]

    for name in ("RegisterInput", "LoginInput", "ProfileUpdateInput", "PasswordChangeInput"):
        assert schemas[name]["additionalProperties"] is False
    assert "password" not in schemas["User"]["properties"]


def test_the_document_can_be_written_for_snapshots(tmp_path):
    path = tmp_path / "auth.json"

    assert main(["openapi", str(path)]) == 0

    assert json.loads(path.read_text()) == spec_dict()


def test_the_command_line_explains_itself(capsys):
    assert main([]) == 2
    assert "usage: python -m auth openapi [PATH]" in capsys.readouterr().err
