"""Reader pages cost a fixed number of queries, however big the archive.

BUDGET is for a fresh render of a page not yet cached, with the shared
fragments (section navigation, sidebar, related articles) cached, as on a
running site; BUDGET_NOTHING_CACHED for the first render after a change, when
those are made again too. A page served from the cache costs none
(tests/test_caching.py).
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.archive import generate_archive
from articles.cache import page_key, recent_pages
from articles.models import Tag, TaggedArticle
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db
ARCHIVE_SIZE = 10_000
# The plans are read where a whole-archive scan would cost most.
PLAN_ARCHIVE_SIZE = 100_000
SUBJECTS = 2_000
WHOLE_TABLE = re.compile(r"Seq Scan on (articles_article|search_entry)\s")
BUDGET = {
    "article": 4,  # article, bylines, tags, notes
    # the front page's places, its newest stories, the sections and their
    # blocks (one query, whatever their number)
    "front": 5,
    "all": 2,  # one page (and one article more: is there a next page?), bylines
    "section": 4,  # the section, page, bylines, its pinned top story
    "tag": 3,  # the tag, page (a 404 if empty), bylines
    "author": 3,
    "search": 2,  # the matches (and their count), the page's articles
    "rss": 4,  # items, bylines, tags, notes
    "atom": 4,
    # the months with articles (one probe each and one finding no more), how
    # many sections and tags
    "sitemap": 4,
    "sitemap-month": 1,  # the month's articles
    "news-sitemap": 1,
    "robots": 0,
}
# Plus, once per content generation, the next change that comes by itself
# (a scheduled article, a front-page place or breaking news running out) and
# the breaking news every page and feed marks; the sections for the
# navigation; and on the article page the sidebar and related articles.
BUDGET_NOTHING_CACHED = {
    "article": 4 + 6,
    "front": 5 + 4,
    "all": 2 + 4,
    "section": 4 + 4,
    "tag": 3 + 4,
    "author": 3 + 4,
    "search": 2 + 4 + 1,  # and the sections for its filter
    "rss": 4 + 3,
    "atom": 4 + 3,
    "sitemap": 4 + 2,
    "sitemap-month": 1 + 2,
    "news-sitemap": 1 + 2,
    "robots": 0,  # a plain template, never tied to the content
}
# The index made for a page's own list (see Article.Meta and migration 0002).
# A large section may be read through the public index, newest first, its
# other sections' rows skipped: a page of it is met within a hundred rows.
INDEX_OF_PAGE = {
    "front": ("article_public_idx",),
    "all": ("article_public_idx",),
    "section": ("article_section_idx", "article_public_idx"),
    "search": ("search_document_idx",),
}


def fresh_render_queries(client, url):
    """The queries of rendering `url` with the shared fragments cached."""
    client.get(url)  # the shared fragments are now cached
    # Forget the page itself, as if nobody had asked for it yet.
    cache.delete(page_key(RequestFactory().get(url)))
    recent_pages.entries.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
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
        "all": "/news/",
        "section": article.section.get_absolute_url(),
        "tag": "/tags/arkhiv/",
        "author": author.get_absolute_url(),
        "search": "/search/?q=свіжа",
        "rss": "/rss/",
        "atom": "/atom/",
        "sitemap": "/sitemap.xml",
        "sitemap-month": f"/sitemap-articles-{timezone.localtime():%Y-%m}.xml",
        "news-sitemap": "/sitemap-news.xml",
        "robots": "/robots.txt",
    }


# Mid-month, so that the archive (a week of articles) is one month's sitemap.
@time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=UTC), tick=True)
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
    """PostgreSQL's plan, with its default settings, of each query a fresh
    render of `url` runs on articles."""
    captured = fresh_render_queries(client, url)
    with connection.cursor() as cursor:
        # A search is sent with its settings around it: "SET ...; SELECT ...; SET ...".
        statements = (sql for query in captured for sql in query["sql"].split("; "))
        for sql in statements:
            if sql.startswith("SET"):
                cursor.execute(sql)
            elif sql.startswith(("SELECT", "WITH")) and (
                "articles_article" in sql or "search_entry" in sql
            ):
                cursor.execute("EXPLAIN " + sql)
                yield sql, "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's (production)"
)
def test_no_reader_page_scans_the_whole_archive(client):
    sections, author = [make_section() for _ in range(5)], make_author()
    # Four in five archive articles are published; in this section all of them.
    article = make_article(
        "Свіжа новина", section=sections[1], authors=[author], tags=["Архів", "ППО"]
    )
    # A newsroom's archive: a story an hour for eleven years, each with a
    # subject tag of its own besides "Архів" on every second one.
    archive = generate_archive(
        PLAN_ARCHIVE_SIZE, sections, author, "Архів", every=timedelta(hours=1)
    )
    subjects = Tag.objects.bulk_create(
        Tag(name=f"Тема {n}", slug=f"tema-{n}", key=f"тема {n}") for n in range(SUBJECTS)
    )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=story, tag=subjects[n % SUBJECTS])
        for n, story in enumerate(archive)
    )
    with connection.cursor() as cursor:
        # The archive's search entries, as the search app would write them
        # but in one statement (their words matter little to the plans).
        cursor.execute(
            "INSERT INTO search_entry (article_id, section_id, published_at, document, title)"
            " SELECT id, section_id, published_at, to_tsvector('simple', headline || ' ' || lead),"
            " to_tsvector('simple', headline) FROM articles_article"
            " WHERE status = 'published' AND id NOT IN (SELECT article_id FROM search_entry)"
        )
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",), "the planner's default settings"
        cursor.execute("ANALYZE")
    for name, url in urls(article, author).items():
        page_plans = list(plans(client, url))
        for sql, plan in page_plans:
            assert not WHOLE_TABLE.search(plan), f"{name}: {sql}\n{plan}"
        if name in INDEX_OF_PAGE:
            plans_text = "\n\n".join(plan for _, plan in page_plans)
            assert any(index in plans_text for index in INDEX_OF_PAGE[name]), plans_text
