import pytest

pytestmark = pytest.mark.django_db


def test_access_log_is_one_json_line_with_the_request_id(api_client, json_logs):
    api_client.get("/api/catalog/categories/", HTTP_X_REQUEST_ID="req-42")

    access = [line for line in json_logs() if line["logger"] == "access"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "req-42"
    assert line["level"] == "INFO"
    assert line["time"].endswith("Z")
    assert (line["method"], line["path"], line["status"]) == (
        "GET",
        "/api/catalog/categories/",
        200,
    )
    assert isinstance(line["duration_ms"], float)
