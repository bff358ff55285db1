"""Content negotiation answers the everyday request without parsing; the rest as DRF does."""

import pytest
from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from catalog.api.negotiation import FastContentNegotiation
from tests.factories import ProductFactory

ACCEPTS = [
    None,
    "*/*",
    "application/json",
    "text/html",
    "application/json; indent=4",
    "text/html, application/xhtml+xml, */*;q=0.8",
    "application/*",
]


@pytest.mark.parametrize("renderers", [[JSONRenderer], [BrowsableAPIRenderer, JSONRenderer]])
@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("query", ["", "?format=json", "?format=api", "?format="])
def test_chooses_what_drf_chooses(accept, query, renderers):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    request = Request(APIRequestFactory().get(f"/api/catalog/products/{query}", **headers))
    instances = [renderer() for renderer in renderers]

    def choice(negotiation) -> tuple[type, str] | str:
        try:
            renderer, media_type = negotiation.select_renderer(request, instances)
        except (NotAcceptable, Http404) as refusal:  # the refusals must be the same too
            return type(refusal).__name__
        return type(renderer), media_type

    assert choice(FastContentNegotiation()) == choice(DefaultContentNegotiation())


@pytest.mark.django_db
def test_a_client_that_takes_no_json_is_refused(api_client):
    ProductFactory()

    response = api_client.get("/api/catalog/products/", HTTP_ACCEPT="text/html")

    assert response.status_code == 406
    assert response.json()["error"]["code"] == "not_acceptable"
