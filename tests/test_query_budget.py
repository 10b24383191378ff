"""Reader pages cost a fixed number of queries, however big the archive.

Budgets are for a fresh render of a page not yet cached, with the shared
fragments (section navigation, sidebar) cached, as on a running site. A page
served from the cache costs none (tests/test_caching.py).
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from articles.archive import generate_archive
from articles.cache import page_key
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db
ARCHIVE_SIZE = 10_000
BUDGET = {
    "article": 5,  # article, bylines, tags, notes, related
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


def queries(client, url):
    client.get(url)  # the shared fragments, and the page, are now cached
    request = RequestFactory().get(url)  # the key as the cached view makes it
    cache.delete(page_key(request.build_absolute_uri()))
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
        "search": "/search/?q=новина",
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

    generate_archive(ARCHIVE_SIZE, sections, author, tag_name="Архів")
    large = {name: queries(client, url) for name, url in urls(article, author).items()}

    assert small == large == BUDGET
