"""One page of search results."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from articles.models import Article

from . import backends
from .backends import COUNT_LIMIT, backend
from .snippets import Marker, headline, snippet

RESULTS_PER_PAGE = 20
# Pages reach as far as the count does.
MAX_PAGE = COUNT_LIMIT // RESULTS_PER_PAGE


@dataclass
class Filters:
    section: object = None  # a Section
    since: object = None  # dates, both included
    until: object = None


@dataclass
class Results:
    articles: list = field(default_factory=list)
    total: int = 0
    has_next: bool = False
    # False when a phrase was looked for among the newest articles only.
    complete: bool = True

    @property
    def total_is_more(self):
        return self.total > backends.COUNT_LIMIT


def day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def conditions(filters):
    """The SQL and parameters that narrow the entries to what readers may
    see and the filters ask for."""
    adapt = connection.ops.adapt_datetimefield_value
    sql, params = ["published_at <= %(now)s"], {"now": adapt(timezone.now())}
    if filters.section is not None:
        sql.append("section_id = %(section)s")
        params["section"] = filters.section.pk
    if filters.since is not None:
        sql.append("published_at >= %(since)s")
        params["since"] = adapt(day_start(filters.since))
    if filters.until is not None:
        sql.append("published_at < %(until)s")
        params["until"] = adapt(day_start(filters.until + timedelta(days=1)))
    return " AND ".join(sql), params


def count(query, filters):
    """How many articles a query finds (up to COUNT_LIMIT and one)."""
    rows = backend().find(query, *conditions(filters), 0, 0) if query else []
    return rows[0][2] if rows else 0


def find(query, filters, number):
    """Page `number` of what `query` finds, with headlines and snippets marked."""
    if not query:
        return Results()
    start = (number - 1) * RESULTS_PER_PAGE
    rows = backend().find(query, *conditions(filters), start, RESULTS_PER_PAGE)
    if not rows:
        return Results()
    ids = [row[0] for row in rows[:RESULTS_PER_PAGE]]
    found = Article.objects.published().select_related("section").in_bulk(ids)
    marker = Marker(query)
    articles = [found[pk] for pk in ids if pk in found]
    for article in articles:
        article.marked_headline = headline(article, marker)
        article.snippet = snippet(article, marker)
    has_next = len(rows) > RESULTS_PER_PAGE and number < MAX_PAGE
    return Results(articles, rows[0][2], has_next, bool(rows[0][3]))
