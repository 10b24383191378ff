"""Oversized and pathological input is refused or cut down, never allowed to
tie up a worker: a huge query, thousands of parameters, a huge POST, a
megabyte of nested tags."""

from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from articles.cache import MAX_QUERY_LENGTH
from articles.html import sanitize_html
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_100_kb_search_query_is_cut_to_the_search_limit(client, seed):
    response = client.get("/search/", {"q": "оборона " * 12_500})
    assert response.status_code == 200
    box = BeautifulSoup(response.content, "html.parser").select_one("input[name=q]")
    assert 0 < len(box["value"]) <= MAX_QUERY_LENGTH


def test_thousands_of_parameters_are_a_bad_request(client, seed):
    query = urlencode([(f"p{n}", "x") for n in range(2_000)])
    assert client.get(f"/search/?{query}").status_code == 400


def test_a_huge_post_is_refused_before_it_is_read_into_memory(client):
    huge = {"username": "chief", "password": "x" * (10 * 1024 * 1024)}
    assert client.post("/admin/login/", huge).status_code == 400


def test_a_megabyte_of_nested_tags_is_sanitised_and_rendered(client):
    depth = 1024 * 1024 // len("<div><b></b></div>")
    nested = "<div><b>" * depth + "глибоко" + "</b></div>" * depth
    clean = sanitize_html(nested)
    assert "глибоко" in clean and len(clean) <= len(nested)
    article = make_article(body=nested)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and "глибоко" in response.content.decode()
