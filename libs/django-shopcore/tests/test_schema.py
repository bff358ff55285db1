"""The OpenAPI document names the bearer-token scheme and the error shape."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_bearer_tokens_are_described_as_a_security_scheme(schema):
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An RS256 access token from auth-flask.",
    }
    assert {"bearerAuth": []} in schema["paths"]["/api/things/me/"]["get"]["security"]


def test_the_error_shape_is_a_component(schema):
    error = schema["components"]["schemas"]["ErrorOutput"]
    detail = schema["components"]["schemas"]["ErrorDetailOutput"]

    assert error["required"] == ["error"]
    assert set(detail["properties"]) == {"code", "message", "details"}
    responses = schema["paths"]["/api/things/articles/{article_id}/"]["get"]["responses"]
    assert responses["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOutput"
    }
