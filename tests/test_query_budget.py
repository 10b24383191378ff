"""Reader pages cost a fixed number of queries, however big the archive.

BUDGET is for a fresh render of a page not yet cached, with the shared
fragments (section navigation, sidebar, related articles) cached, as on a
running site; BUDGET_NOTHING_CACHED for the first render after a change, when
those are made again too. A page served from the cache costs none
(tests/test_caching.py).
"""

from itertools import count

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.archive import generate_archive
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db
ARCHIVE_SIZE = 10_000
BUDGET = {
    "article": 4,  # article, bylines, tags, notes
    "front": 3,  # count, page, bylines
    "section": 4,  # the section, count, page, bylines
    "tag": 4,
    "author": 4,
    "search": 3,
    "rss": 4,  # items, bylines, tags, notes
    "atom": 4,
    "sitemap": 6,  # count and page of each of the three sitemaps
    "news-sitemap": 1,
    "robots": 0,
}
# Plus the next scheduled article (for the new generation), the sections for
# the navigation, and on the article page the sidebar and related articles.
BUDGET_NOTHING_CACHED = {
    "article": 4 + 4,
    "front": 3 + 2,
    "section": 4 + 2,
    "tag": 4 + 2,
    "author": 4 + 2,
    "search": 3 + 2,
    "rss": 4 + 1,
    "atom": 4 + 1,
    "sitemap": 6 + 1,
    "news-sitemap": 1 + 1,
    "robots": 0,  # a plain template, never tied to the content
}
FRESH = count()
# The index made for a page's own list (see Article.Meta and migration 0002).
INDEX_OF_PAGE = {
    "front": "article_public_idx",
    "section": "article_section_idx",
    "search": "article_search_idx",
}


def fresh_render_queries(client, url):
    """The queries of rendering `url` with the shared fragments cached."""
    client.get(url)  # the shared fragments are now cached
    # An address never asked for: the page itself is not cached yet.
    fresh = f"{url}{'&' if '?' in url else '?'}fresh={next(FRESH)}"
    with CaptureQueriesContext(connection) as captured:
        assert client.get(fresh).status_code == 200, fresh
    return captured.captured_queries


def queries(client, url):
    return len(fresh_render_queries(client, url))


def cold_queries(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def urls(article, author):
    return {
        "article": article.get_absolute_url(),
        "front": "/",
        "section": article.section.get_absolute_url(),
        "tag": "/tags/arkhiv/",
        "author": author.get_absolute_url(),
        "search": "/search/?q=свіжа",
        "rss": "/rss/",
        "atom": "/atom/",
        "sitemap": "/sitemap.xml",
        "news-sitemap": "/sitemap-news.xml",
        "robots": "/robots.txt",
    }


def test_reader_pages_stay_within_budget_with_a_large_archive(client):
    sections, author = [make_section() for _ in range(5)], make_author()
    article = make_article(
        "Свіжа новина", section=sections[0], authors=[author], tags=["Архів", "ППО"]
    )
    small = {name: queries(client, url) for name, url in urls(article, author).items()}
    small_cold = {name: cold_queries(client, url) for name, url in urls(article, author).items()}

    generate_archive(ARCHIVE_SIZE, sections, author, tag_name="Архів")
    large = {name: queries(client, url) for name, url in urls(article, author).items()}
    large_cold = {name: cold_queries(client, url) for name, url in urls(article, author).items()}

    assert small == large == BUDGET
    assert small_cold == large_cold == BUDGET_NOTHING_CACHED


def plans(client, url):
    """PostgreSQL's plan of each query a fresh render of `url` runs on articles,
    with sequential scans priced out: a scan that remains has no index to use."""
    captured = fresh_render_queries(client, url)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in captured:
            if query["sql"].startswith("SELECT") and "articles_article" in query["sql"]:
                cursor.execute("EXPLAIN " + query["sql"])
                yield query["sql"], "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's (production)"
)
def test_no_reader_page_scans_the_whole_archive(client):
    sections, author = [make_section() for _ in range(5)], make_author()
    article = make_article(
        "Свіжа новина", section=sections[0], authors=[author], tags=["Архів", "ППО"]
    )
    generate_archive(ARCHIVE_SIZE, sections, author, tag_name="Архів")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for name, url in urls(article, author).items():
        page_plans = list(plans(client, url))
        for sql, plan in page_plans:
            assert "Seq Scan on articles_article" not in plan, f"{name}: {sql}\n{plan}"
        if name in INDEX_OF_PAGE:
            assert any(INDEX_OF_PAGE[name] in plan for _, plan in page_plans), name
