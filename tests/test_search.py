"""The search page: Ukrainian words whatever their case or apostrophe, the
count, snippets, filters, pages, what it keeps, and an index that follows
every change. tests/test_search_table.py holds what queries find."""

import time
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Tag
from search import backends, results
from search.backends import SearchTimeout, backend
from tests.factories import make_article, make_author, make_draft, make_section

pytestmark = pytest.mark.django_db


def found(soup_of, query):
    page = soup_of("/search/?" + urlencode({"q": query}))
    return [a.get_text() for a in page.select("article.search-result h2 a")]


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


def test_search_results_are_paginated_keeping_the_query_and_filters(soup_of):
    section = make_section("Оборона", slug="oborona")
    for n in range(25):
        make_article(f"ППО новина {n}", ago=timedelta(minutes=n), section=section)
    first = soup_of("/search/?q=ППО&section=oborona")
    assert first.select_one("a[rel=next]")["href"] == "?q=%D0%9F%D0%9F%D0%9E&section=oborona&page=2"
    second = soup_of("/search/?q=ППО&section=oborona&page=2")
    assert len(second.select("article.search-result")) == 5
    assert second.select_one("a[rel=prev]")["href"].endswith("section=oborona&page=1")
    soup_of("/search/?q=ППО&section=oborona&page=3", status=404)


@pytest.mark.parametrize(
    ("count", "said"),
    [
        (1, "Знайдено 1 результат"),
        (3, "Знайдено 3 результати"),
        (5, "Знайдено 5 результатів"),
        (21, "Знайдено 21 результат"),
    ],
)
def test_the_count_of_results_agrees_with_its_number(soup_of, count, said):
    for n in range(count):
        make_article(f"Переговори, день {n}", ago=timedelta(minutes=n))
    assert (
        soup_of("/search/?q=переговорах").select_one(".search-count").get_text(strip=True) == said
    )


def test_beyond_the_count_limit_the_page_says_more_than(soup_of, monkeypatch):
    monkeypatch.setattr(backends, "COUNT_LIMIT", 3)
    for n in range(5):
        make_article(f"Переговори, день {n}", ago=timedelta(minutes=n))
    page = soup_of("/search/?q=переговори")
    assert page.select_one(".search-count").get_text(strip=True) == "Знайдено понад 3 результати"
    assert len(page.select("article.search-result")) == 5


def test_the_snippet_shows_the_words_found_marked_and_the_text_escaped(soup_of):
    body = (
        "<p>Початок тексту, що не стосується справи. " + "Інші слова. " * 20 + "</p>"
        "<p>Міністр сказав: &lt;script&gt;alert(1)&lt;/script&gt; — і переговорах з Умєровим.</p>"
    )
    make_article("Зустріч у Парижі", body=body)
    result = soup_of("/search/?q=переговори Умєров").select_one("article.search-result")
    snippet = result.select("p")[-1]
    assert [mark.get_text() for mark in snippet.select("mark")] == ["переговорах", "Умєровим"]
    assert snippet.get_text().startswith("…")
    assert "<script>alert(1)</script>" in snippet.get_text()  # shown as text
    assert snippet.select("script") == []


def test_the_headline_marks_the_words_found(soup_of):
    make_article("Міністри оборони зустрілися")
    headline = soup_of("/search/?q=міністр").select_one("article.search-result h2 a")
    assert str(headline.mark) == "<mark>Міністри</mark>"


def test_a_match_in_the_headline_alone_shows_the_lead(soup_of):
    make_article("Умєров у Парижі", lead="Коротко про зустріч.", body="<p>Текст.</p>")
    snippet = soup_of("/search/?q=Умєров").select("article.search-result p")[-1]
    assert snippet.get_text() == "Коротко про зустріч."


def test_results_are_filtered_by_section_and_dates(soup_of):
    defence, world = make_section("Оборона", slug="oborona"), make_section("Світ", slug="svit")
    now = timezone.localtime()
    old = make_article("ППО: торік", section=defence, ago=timedelta(days=400))
    recent = make_article("ППО: сьогодні", section=defence, ago=timedelta(minutes=5))
    abroad = make_article("ППО: у світі", section=world, ago=timedelta(days=2))

    def headlines(**filters):
        page = soup_of("/search/?" + urlencode({"q": "ППО", **filters}))
        return [a.get_text() for a in page.select("article.search-result h2 a")]

    assert headlines() == [recent.headline, abroad.headline, old.headline]
    assert headlines(section="oborona") == [recent.headline, old.headline]
    since = (now - timedelta(days=3)).date().isoformat()
    assert headlines(**{"from": since}) == [recent.headline, abroad.headline]
    until = (now - timedelta(days=1)).date().isoformat()
    assert headlines(**{"from": since, "to": until}) == [abroad.headline]
    assert headlines(section="oborona", to=until) == [old.headline]


@pytest.mark.parametrize(
    "filters",
    [{"section": "nema-takoi"}, {"from": "2026-02-30"}, {"to": "вчора"}, {"from": "2026-1-5"}],
)
def test_unknown_filters_are_answered_but_not_kept(client, filters):
    make_article("ППО над Києвом")
    client.get("/search/", {"q": "ППО"})  # the shared fragments are cached now
    stored = len(cache._cache)
    response = client.get("/search/", {"q": "ППО", **filters})
    assert response.status_code == 200
    assert len(cache._cache) == stored


def test_a_filtered_search_is_kept_under_its_own_address(client):
    make_article("ППО над Києвом", section=make_section("Оборона", slug="oborona"))
    address = "/search/?q=ППО&section=oborona&from=2026-01-01"
    first = client.get(address)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(address)
    assert len(captured) == 0
    assert again.content == first.content
    assert b"search-result" in client.get("/search/?q=ППО&section=oborona").content


def test_a_search_longer_than_the_time_limit_is_stopped(settings):
    settings.SEARCH_TIMEOUT = 50
    slow = (
        "SELECT pg_sleep(1)"
        if connection.vendor == "postgresql"
        else "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n"
    )
    # (A savepoint, as the test runs in a transaction the stop aborts.)
    with pytest.raises(SearchTimeout), transaction.atomic():
        backend().run(slow, {})
    # The connection goes on with no limit left behind.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_search_that_runs_out_of_time_tells_the_reader(client, monkeypatch):
    def too_slow(*args):
        raise SearchTimeout

    monkeypatch.setattr(backends.Postgres, "find", too_slow)
    monkeypatch.setattr(backends.Sqlite, "find", too_slow)
    response = client.get("/search/", {"q": "ППО"})
    assert response.status_code == 503
    assert "Пошук тривав надто довго" in response.content.decode()


def test_the_index_follows_every_change_to_what_search_reads(soup_of):
    article = make_article("Новина дня", body="<p>Текст.</p>")
    assert found(soup_of, "Умєров") == []
    article.body = "<p>Умєров прибув.</p>"
    article.save()
    assert found(soup_of, "Умєров") == ["Новина дня"]
    article.tags.add("Франція")
    assert found(soup_of, "Франції") == ["Новина дня"]
    tag = Tag.objects.get(name="Франція")
    tag.name = "Франція і Бельгія"
    tag.save()
    assert found(soup_of, "Бельгії") == ["Новина дня"]
    author = make_author("Ольга Коваль")
    article.bylines.create(author=author)
    assert found(soup_of, "Коваля") == ["Новина дня"]
    author.name = "Ольга Петренко"
    author.save()
    assert found(soup_of, "Петренко") == ["Новина дня"]
    article.tags.clear()
    assert found(soup_of, "Бельгії") == []
    article.status = Article.Status.DRAFT
    article.save()
    assert found(soup_of, "Умєров") == []
    article.status = Article.Status.PUBLISHED
    article.save()
    assert found(soup_of, "Умєров") == ["Новина дня"]
    article.delete()
    assert found(soup_of, "Умєров") == []


def test_a_scheduled_article_is_found_once_its_time_comes(soup_of):
    make_article("Умєров прибуде", ago=-timedelta(minutes=30))
    assert found(soup_of, "Умєров") == []
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        cache.clear()
        assert found(soup_of, "Умєров") == ["Умєров прибуде"]


def test_the_index_is_rebuilt_by_a_command(seed, soup_of, seed_lines):
    from search.models import Entry

    Entry.objects.all().delete()
    assert found(soup_of, "Умєров") == []
    cache.clear()
    call_command("search_index", verbosity=0)
    assert found(soup_of, "Умєров") == [seed_lines[1]]


def test_a_long_story_full_of_the_words_found_still_answers_at_once(soup_of):
    # A transcript: 60,000 words, thousands of them found. Its passage is
    # looked for in its first SEARCHED_LENGTH characters, in one pass.
    body = "<p>" + "Президент заявив, що уряд і рада працюють. " * 8_000 + "</p>"
    for n in range(3):
        make_article(f"Стенограма {n}", body=body)
    started = time.perf_counter()
    page = soup_of("/search/?q=президент уряд рада")
    assert time.perf_counter() - started < 5  # minutes before the fix
    assert len(page.select("article.search-result")) == 3
    assert len(page.select("article.search-result p")[-1].get_text()) < 300


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2025-W04-6"])
def test_a_date_outside_the_calendar_is_left_out(client, day):
    make_article("ППО над Києвом")
    client.get("/search/", {"q": "ППО"})  # the shared fragments are cached now
    stored = len(cache._cache)
    for name in ("from", "to"):
        response = client.get("/search/", {"q": "ППО", name: day})
        assert response.status_code == 200
        page = BeautifulSoup(response.content, "html.parser")
        assert page.select_one("article.search-result h2").get_text() == "ППО над Києвом"
    assert len(cache._cache) == stored


def test_no_suggestion_tells_the_words_of_a_scheduled_story(soup_of):
    make_article("Переговорний процес триває")

    def offered(query):
        note = soup_of("/search/?" + urlencode({"q": query})).select_one(".search-note")
        return note.get_text(" ", strip=True) if note else None

    before = offered("переговорниця")
    assert before == "Можливо, ви мали на увазі: переговорний"
    make_article("Переговорниця прибуде", ago=-timedelta(days=3))
    cache.clear()
    assert offered("переговорниця") == before
    assert offered("переговорниц") == before


def test_the_last_page_links_to_no_page_beyond_it(soup_of, monkeypatch):
    monkeypatch.setattr(results, "MAX_PAGE", 2)
    for n in range(45):
        make_article(f"ППО новина {n}", ago=timedelta(minutes=n))
    assert soup_of("/search/?q=ППО&page=2").select_one("a[rel=next]") is None


def test_merging_tags_reindexes_their_articles(soup_of):
    article = make_article("Новина з полів", tags=["Фермерство"])
    survivor = make_article("Новина з ринку", tags=["Агросектор"]).tags.get()
    survivor.merge([Tag.objects.get(name="Фермерство")])
    assert sorted(found(soup_of, "Агросектор")) == ["Новина з полів", "Новина з ринку"]
    assert found(soup_of, "Фермерство") == []
    assert article.tags.get() == survivor


def test_markup_and_soft_hyphens_inside_a_word_leave_it_whole(soup_of):
    make_article(
        "Новина", body="<p>Тривали пере<b>гово</b>ри у Ха\u00adркові з <em>Умєров</em>им.</p>"
    )
    assert found(soup_of, "переговори") == ["Новина"]
    assert found(soup_of, "Харків") == ["Новина"]
    snippet = soup_of("/search/?q=Умєров").select("article.search-result p")[-1]
    assert [mark.get_text() for mark in snippet.select("mark")] == ["Умєровим"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("“міністр оборони”", ["Міністр оборони прибув"]),
        ("«міністр оборони»", ["Міністр оборони прибув"]),
        ("„міністр оборони“", ["Міністр оборони прибув"]),
        ("оборони –міністр", ["Оборони не обговорювали"]),
        ("оборони −міністр", ["Оборони не обговорювали"]),
        ("оборони —міністр", ["Оборони не обговорювали"]),
        ('"мін* оборони"', ["Міністр оборони прибув"]),
    ],
)
def test_typographic_quotes_and_dashes_mean_what_straight_ones_do(soup_of, typed, expected):
    make_article("Міністр оборони прибув", ago=timedelta(minutes=1))
    make_article("Оборони не обговорювали, міністр мовчав", ago=timedelta(minutes=2))
    make_article("Оборони не обговорювали", ago=timedelta(minutes=3))
    assert found(soup_of, typed) == expected


def test_a_query_of_exclusions_alone_says_what_is_missing(soup_of):
    make_article("ППО над Києвом")
    page = soup_of("/search/?q=-Франція")
    assert "Мінус лише виключає слова" in page.select_one("main").get_text()


def test_a_phrase_beyond_the_newest_articles_with_its_words_is_told(soup_of, monkeypatch):
    monkeypatch.setattr(backends, "COUNT_LIMIT", 3)
    make_article("Міністр оборони сказав", ago=timedelta(days=10))
    for n in range(4):
        make_article(f"Оборони міністр {n}", ago=timedelta(days=n))
    page = soup_of('/search/?q="міністр оборони"')
    assert page.select("article.search-result") == []
    assert "Виберіть дати" in page.select_one("main").get_text()
    since = (timezone.localtime() - timedelta(days=20)).date().isoformat()
    until = (timezone.localtime() - timedelta(days=5)).date().isoformat()
    page = soup_of(f'/search/?q="міністр оборони"&from={since}&to={until}')
    assert [a.get_text() for a in page.select("article.search-result h2 a")] == [
        "Міністр оборони сказав"
    ]
