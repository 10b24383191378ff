"""Breaking news as every page shows it: read with the site-wide parts once
per content generation (articles/site.py), so the banner costs a page
nothing."""

from typing import NamedTuple

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.cache import site_now
from articles.rows import moment
from articles.site import SitePart

from .models import Breaking, Slot


class Story(NamedTuple):
    pk: int
    headline: str
    url: str


def breaking_now():
    """The stories marked breaking now, the latest mark first."""
    return site_now()["breaking"]


def breaking_mark(article):
    """The "Терміново" mark on a story wherever it is listed (articles/marks.py)."""
    if any(story.pk == article.pk for story in breaking_now()):
        return [("breaking", _("Breaking"))]
    return []


def frontpage_parts():
    """The site-wide parts the front page adds: the breaking stories, and
    when a place's time or a breaking mark's next runs out (readers' pages
    change then with no save)."""

    def stories(rows):
        rows = sorted(rows, key=lambda row: (moment(row["started_at"]), row["mark"]), reverse=True)
        return [
            Story(row["pk"], row["headline"], reverse("articles:detail", args=[row["slug"]]))
            for row in rows
        ]

    return {
        "breaking": SitePart(
            Breaking.objects.on,
            {
                "mark": "pk",
                "started_at": "started_at",
                "pk": "article_id",
                "headline": "article__headline",
                "slug": "article__slug",
            },
            stories,
        ),
        "place expiry": SitePart(
            lambda: Slot.objects.filter(expires_at__gt=timezone.now()).order_by("expires_at")[:1],
            {"moment": "expires_at"},
        ),
        "breaking end": SitePart(
            lambda: Breaking.objects.filter(ends_at__gt=timezone.now()).order_by("ends_at")[:1],
            {"moment": "ends_at"},
        ),
    }
