"""Search finds Ukrainian words whatever their case or apostrophe, on both databases."""

from datetime import timedelta

import pytest

from tests.factories import make_article, make_draft

pytestmark = pytest.mark.django_db


def found(soup_of, query):
    page = soup_of("/search/?q=" + query)
    return [a.get_text() for a in page.select("article.card h2 a")]


@pytest.mark.parametrize("query", ["ППО", "ппо", "Ппо", "пПо"])
def test_search_ignores_case_of_cyrillic(seed, soup_of, seed_lines, query):
    assert found(soup_of, query) == [seed_lines[1]]


@pytest.mark.parametrize("query", ["Умєров", "умєров", "УМЄРОВ"])
def test_search_finds_a_name(seed, soup_of, seed_lines, query):
    assert seed_lines[1] in found(soup_of, query)


@pytest.mark.parametrize("typed", ["Знам'янка", "Знам’янка", "Знамʼянка", "знамянка"])
@pytest.mark.parametrize("stored", ["Знам'янка", "Знам’янка", "Знамʼянка"])
def test_search_ignores_the_apostrophe_form(soup_of, typed, stored):
    make_article(f"Новини з міста {stored}")
    assert found(soup_of, typed) == [f"Новини з міста {stored}"]


def test_every_word_must_match(seed, soup_of, seed_lines):
    assert found(soup_of, "Умєров Париж") == [seed_lines[1]]
    assert found(soup_of, "Умєров Фінляндія") == []


def test_headline_matches_rank_first(soup_of):
    in_body = make_article("Новина дня", body="<p>Тут згадано ППО.</p>", ago=timedelta(minutes=1))
    in_headline = make_article("ППО над Києвом", ago=timedelta(days=3))
    assert found(soup_of, "ППО") == [in_headline.headline, in_body.headline]


def test_drafts_and_scheduled_articles_are_not_found(soup_of):
    make_draft("ППО: чернетка")
    make_article("ППО: заплановано", ago=-timedelta(hours=1))
    assert found(soup_of, "ППО") == []


def test_word_forms_are_found_by_their_beginning(seed, soup_of, seed_lines):
    # A prefix query on PostgreSQL, a substring on SQLite: both find the forms.
    assert seed_lines[1] in found(soup_of, "Умєров")  # the body has "Умєровим"
    assert seed_lines[1] in found(soup_of, "співробітни")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!???...",
        "'’ʼ",
        "a" * 10_000,
        "<script>alert(1)</script>",
        "%00",
        "\x00ППО",
        "& | ! :*",
    ],
    ids=[
        "empty",
        "spaces",
        "punctuation",
        "apostrophes",
        "10000-chars",
        "markup",
        "percent-00",
        "nul",
        "tsquery-operators",
    ],
)
def test_odd_queries_answer_calmly(seed, client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_results_are_paginated_keeping_the_query(soup_of):
    for n in range(25):
        make_article(f"ППО новина {n}", ago=timedelta(minutes=n))
    first = soup_of("/search/?q=ППО")
    assert first.select_one("a[rel=next]")["href"] == "?q=%D0%9F%D0%9F%D0%9E&page=2"
    assert len(soup_of("/search/?q=ППО&page=2").select("article.card")) == 5
