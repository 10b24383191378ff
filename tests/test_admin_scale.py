"""The article list stays cheap at newsroom scale: a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin import ArticleAdmin
from articles.archive import generate_archive
from articles.models import Article
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:articles_article_changelist")
ARCHIVE_SIZE = 10_000
# The changelist's whole cost, whatever the archive or page size: session, user,
# permissions (2), section, tag, author and creator filter choices, count,
# rows, their bylines, date hierarchy (2), and the savepoint pair the admin
# wraps around the list.
QUERY_BUDGET = 15


def queries_for(client, monkeypatch, per_page, query=""):
    monkeypatch.setattr(ArticleAdmin, "list_per_page", per_page)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "query",
    # "Новина": the small and the large archive both have matches (SQLite folds
    # only ASCII case), so both lists fetch their bylines.
    ["", "?q=Новина", "?state=published", "?published_at__year=2026"],
    ids=["all", "search", "status-filter", "date-filter"],
)
def test_changelist_queries_do_not_grow_with_archive_or_page_size(
    editor_client, monkeypatch, query
):
    sections = [make_section() for _ in range(5)]
    author = make_author()
    for n in range(30):
        make_article(f"Новина {n}", section=sections[0], authors=[author])
    small = {size: queries_for(editor_client, monkeypatch, size, query) for size in (20, 100)}

    generate_archive(ARCHIVE_SIZE, sections, author, tag_name="Архів")
    assert Article.objects.count() == ARCHIVE_SIZE + 30
    large = {size: queries_for(editor_client, monkeypatch, size, query) for size in (20, 100)}

    assert small[20] == small[100] == large[20] == large[100] <= QUERY_BUDGET, (small, large)


def test_author_filter_lists_that_authors_articles(editor_client):
    author, other = make_author("Ірина Коваль"), make_author()
    mine = make_article("Моя новина", authors=[author])
    make_article("Чужа новина", authors=[other])
    page = editor_client.get(CHANGELIST + f"?authors__id__exact={author.pk}").content.decode()
    assert mine.headline in page
    assert "Чужа новина" not in page
