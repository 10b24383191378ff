"""sitemap.xml for search engines, and the Google News sitemap of the last 48 hours.

sitemap.xml is an index: sections and tags, then one sitemap per month of
articles, so every published article is listed however large the archive,
and no query reads or counts the whole of it.
"""

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.views.generic import TemplateView

from .models import Article, Section, Tag, TaggedArticle

NEWS_WINDOW = timedelta(hours=48)
MONTH_SECTION = re.compile(r"articles-([0-9]{4})-([0-9]{2})")


class OnePage(Paginator):
    """A month of a newsroom's stories fits one sitemap file (50,000 URLs),
    so nothing is counted: the index lists one file a month, and a month
    without articles has none (its page is a 404)."""

    num_pages = 1

    def page(self, number):
        number = self.validate_number(number)
        items = list(self.object_list[: self.per_page])
        if not items:
            raise EmptyPage("no articles this month")  # the sitemap view's 404
        return self._get_page(items, number, self)


class MonthSitemap(Sitemap):
    """The articles first published in one calendar month (Kyiv time)."""

    limit = 50_000  # the most URLs the sitemap protocol allows in one file

    def __init__(self, year, month):
        zone = timezone.get_current_timezone()
        self.start = datetime(year, month, 1, tzinfo=zone)
        self.end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)

    @classmethod
    def of(cls, moment):
        return cls(moment.year, moment.month)

    def items(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=self.start, published_at__lt=self.end)
            .only("slug", "updated_at")
            .order_by("-published_at")
        )

    def lastmod(self, article):
        return article.updated_at

    @property
    def paginator(self):
        return OnePage(self._items(), self.limit)

    def get_latest_lastmod(self):
        return None  # the index would otherwise read every article of every month


class SectionSitemap(Sitemap):
    def items(self):
        return Section.objects.all()


class ProbedExists(Exists):
    """EXISTS that PostgreSQL answers row by row from the indexes: OFFSET 0
    keeps it from rewriting the test into a join with every published
    article."""

    template = "EXISTS(%(subquery)s OFFSET 0)"


class TagSitemap(Sitemap):
    def items(self):
        # Only tags whose page lists something.
        published = TaggedArticle.objects.filter(
            tag=OuterRef("pk"), content_object__in=Article.objects.published()
        )
        return Tag.objects.filter(ProbedExists(published))


class Sitemaps(Mapping):
    """The sections of sitemap.xml: sections, tags, and a month of articles
    for each month that has any."""

    fixed = {"sections": SectionSitemap, "tags": TagSitemap}
    # One object, equal to itself only (URL reversing compares it).
    __eq__, __hash__ = object.__eq__, object.__hash__

    def __getitem__(self, name):
        if name in self.fixed:
            return self.fixed[name]()
        month = MONTH_SECTION.fullmatch(name)
        if month and 1900 <= int(month[1]) < 9999 and 1 <= int(month[2]) <= 12:
            return MonthSitemap(int(month[1]), int(month[2]))
        raise KeyError(name)

    def __iter__(self):
        yield from self.fixed
        yield from reversed(self.months())

    def __len__(self):
        return len(self.fixed) + len(self.months())

    @staticmethod
    def months():
        """The months with published articles, oldest first: each found by
        the next article after the month before, one index probe a month."""
        months, start = [], None
        articles = Article.objects.published().order_by("published_at")
        while True:
            after = articles if start is None else articles.filter(published_at__gte=start)
            first = after.values_list("published_at", flat=True).first()
            if first is None:
                return months
            month = MonthSitemap.of(timezone.localtime(first))
            months.append(f"articles-{month.start:%Y-%m}")
            start = month.end


SITEMAPS = Sitemaps()


class NewsSitemapView(TemplateView):
    template_name = "sitemap-news.xml"
    content_type = "application/xml; charset=utf-8"

    def get_context_data(self, **kwargs):
        recent = list(
            Article.objects.published().filter(published_at__gte=timezone.now() - NEWS_WINDOW)[
                :1000
            ]
        )
        if recent:
            # A cached copy must not outlive the oldest article's 48 hours.
            self.request.page_expires = recent[-1].published_at + NEWS_WINDOW
        return super().get_context_data(articles=recent, **kwargs)
