"""Page-number pagination: bounded page sizes, two queries a page, relative next/previous links."""

import pytest

from shopcore.exceptions import NotFoundError
from shopcore.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate
from tests.project.models import Article

pytestmark = pytest.mark.django_db

LIST = "/api/things/articles/"


@pytest.fixture
def articles() -> list[Article]:
    return Article.objects.bulk_create(Article(title=f"Article {n:02}") for n in range(1, 6))


def test_the_envelope_has_counts_and_links_that_keep_other_parameters(api_client, articles):
    response = api_client.get(LIST, {"page": 2, "page_size": 2, "q": "x"})

    body = response.json()
    assert response.status_code == 200
    assert {key: body[key] for key in ("count", "page", "page_size", "total_pages")} == {
        "count": 5,
        "page": 2,
        "page_size": 2,
        "total_pages": 3,
    }
    assert body["next"] == f"{LIST}?page=3&page_size=2&q=x"
    assert body["previous"] == f"{LIST}?page=1&page_size=2&q=x"
    assert [item["title"] for item in body["results"]] == ["Article 03", "Article 04"]


def test_the_first_and_last_pages_have_no_previous_and_no_next(api_client, articles):
    first = api_client.get(LIST, {"page_size": 5}).json()

    assert (first["previous"], first["next"], first["total_pages"]) == (None, None, 1)
    assert first["page_size"] == 5


def test_the_default_page_size(api_client, articles):
    assert api_client.get(LIST).json()["page_size"] == DEFAULT_PAGE_SIZE


def test_an_empty_list_is_one_empty_page(api_client):
    body = api_client.get(LIST).json()

    assert (body["count"], body["total_pages"], body["results"]) == (0, 0, [])


def test_a_page_past_the_end_is_404_naming_the_last_page(api_client, articles):
    response = api_client.get(LIST, {"page": 4, "page_size": 2})

    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert error["details"] == {"page": ["The last page is 3."]}


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"page": "two"}, {"page_size": 0}, {"page_size": MAX_PAGE_SIZE + 1}],
)
def test_bad_parameters_are_400_naming_them(api_client, params):
    response = api_client.get(LIST, params)

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == list(params)


def test_a_page_costs_two_queries_whatever_its_size(articles, django_assert_num_queries):
    with django_assert_num_queries(2):
        page = paginate(Article.objects.all(), page=1, page_size=MAX_PAGE_SIZE)

    assert len(page.items) == 5
    assert (page.has_next, page.has_previous) == (False, False)


def test_paginate_refuses_a_page_past_the_end(articles):
    with pytest.raises(NotFoundError):
        paginate(Article.objects.all(), page=2, page_size=5)
