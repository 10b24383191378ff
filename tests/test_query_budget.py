"""Reader pages cost a fixed number of queries, however big the archive.

BUDGET is for a fresh render of a page nobody has asked for yet, in a
content generation that has begun (as after an edit: the edit reads what the
whole site shows, see articles/site.py); BUDGET_NOTHING_CACHED for a render
with the cache emptied, when that is read too. No page, however cold, costs
more than MOST. A page served from the cache costs none (test_caching.py).
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.archive import generate_archive
from articles.cache import page_key, recent_pages
from articles.models import Article, Tag, TaggedArticle
from live.models import LiveCoverage, Update
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db
SMALL_SITE = 10
# One story every ten seconds: the whole archive within one month.
ARCHIVE_STEP = timedelta(seconds=10)
ARCHIVE_SIZE = 100_000
PLAN_ARCHIVE_SIZE = 100_000
SUBJECTS = 2_000
WHOLE_TABLE = re.compile(r"Seq Scan on (articles_article|search_entry)\s")
MOST = 5
BUDGET = {
    # the article with its section, bylines, tags and notes; related articles
    "article": 2,
    # the front page's row, its places, its newest stories, the sections' blocks
    "front": 4,
    "all": 1,  # one page (and one article more: is there a next page?) with bylines
    "section": 3,  # the section, the page, its pinned top story
    "tag": 2,  # the tag, the page (a 404 if empty)
    "author": 2,
    "search": 2,  # the matches (and their count), the page's articles
    "rss": 1,  # the items with their bylines, tags and notes
    "atom": 1,
    # the months with articles (one probe each and one finding no more), how
    # many sections and tags
    "sitemap": 4,
    "sitemap-month": 1,  # the month's articles
    "news-sitemap": 1,
    "robots": 0,
    # the story with its live switch (articles/views.py's DETAIL_RELATED),
    # related stories, a page of updates, the key events and pinned update
    "live": 4,
    # the live switch, the reader's newest update, the updates after it, the
    # latest updates' numbers (and, only if some were edited since, those)
    "live-since": 4,
    "live-rss": 2,  # the story, its updates
}
# Plus one query for what the whole site shows (sections, the newest
# stories, breaking news, the next change that comes by itself).
BUDGET_NOTHING_CACHED = {name: count + 1 for name, count in BUDGET.items()}
BUDGET_NOTHING_CACHED["robots"] = 0  # a plain template, never tied to the content
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
    """The queries of rendering `url` with the cache emptied."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def urls(article, author):
    live = LiveCoverage.objects.select_related("article").first()
    return {
        **(live_urls(live.article) if live else {}),
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


def live_urls(story):
    oldest = story.live_updates.order_by("posted_at").first()
    return {
        "live": story.get_absolute_url(),
        "live-since": reverse("live:since", args=[story.pk, oldest.pk]),
        "live-rss": reverse("live:rss", args=[story.slug]),
    }


def make_live(section):
    """A live story, older than the front page's, with updates of every kind."""
    story = make_article("Онлайн", section=section, ago=timedelta(days=2), tags=["ППО"])
    LiveCoverage.objects.create(article=story, is_live=True, leads_front=False)
    for n in range(25):
        Update.objects.create(
            article=story, body=f"<p>{n}</p>", is_key_event=n % 3 == 0, is_pinned=n == 4
        )
    return story


def budgets(client, article, author):
    pages = urls(article, author)
    fresh = {name: queries(client, url) for name, url in pages.items()}
    cold = {name: cold_queries(client, url) for name, url in pages.items()}
    return fresh, cold


# Mid-month, so that the archive (twelve days of articles) is one month's sitemap.
@time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=UTC), tick=True)
def test_reader_pages_stay_within_budget_from_ten_articles_to_a_hundred_thousand(client):
    sections, author = [make_section() for _ in range(5)], make_author()
    article = make_article(
        "Свіжа новина", section=sections[0], authors=[author], tags=["Архів", "ППО"]
    )
    make_live(sections[1])
    generate_archive(SMALL_SITE - 2, sections, author, tag_name="Архів", every=ARCHIVE_STEP)
    assert Article.objects.count() == SMALL_SITE
    small, small_cold = budgets(client, article, author)

    Article.objects.exclude(pk=article.pk).exclude(live__isnull=False).delete()
    generate_archive(ARCHIVE_SIZE - 2, sections, author, tag_name="Архів", every=ARCHIVE_STEP)
    assert Article.objects.count() == ARCHIVE_SIZE
    large, large_cold = budgets(client, article, author)

    assert small == large == BUDGET
    assert small_cold == large_cold == BUDGET_NOTHING_CACHED
    assert max(BUDGET_NOTHING_CACHED.values()) <= MOST


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
