import pytest

pytestmark = pytest.mark.django_db


def test_keeps_the_gateways_id_and_echoes_it(api_client):
    response = api_client.get("/api/catalog/categories/", HTTP_X_REQUEST_ID="a1b2c3d4e5f6")

    assert response["X-Request-ID"] == "a1b2c3d4e5f6"


@pytest.mark.parametrize("sent", [None, "", "has spaces", "x" * 200, "<script>"])
def test_makes_a_fresh_id_when_none_or_an_odd_one_is_sent(api_client, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}

    response = api_client.get("/healthz", **headers)

    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32


def test_errors_carry_the_id_too(api_client):
    assert api_client.get("/nowhere", HTTP_X_REQUEST_ID="req-1")["X-Request-ID"] == "req-1"
