"""Input serializers refuse fields they do not declare, instead of silently ignoring them."""

import pytest

from shopcore.serializers import ErrorOutput
from tests.project.models import Article

pytestmark = pytest.mark.django_db

CREATE = "/api/things/admin/articles/"


def test_declared_fields_are_taken(admin_client):
    response = admin_client.post(CREATE, {"title": "Hello", "body": "World"}, format="json")

    assert response.status_code == 201
    assert response.json()["body"] == "World"


def test_undeclared_and_read_only_fields_are_named_and_nothing_is_written(admin_client):
    response = admin_client.post(
        CREATE, {"title": "Hello", "id": 99, "published": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "id": ["This field is not allowed."],
        "published": ["This field is not allowed."],
    }
    assert not Article.objects.exists()


def test_a_body_that_is_not_an_object_is_a_validation_error(admin_client):
    response = admin_client.post(CREATE, ["Hello"], format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_the_error_output_describes_the_error_shape():
    data = ErrorOutput({"error": {"code": "not_found", "message": "Not found.", "details": {}}})

    assert data.data == {"error": {"code": "not_found", "message": "Not found.", "details": {}}}
