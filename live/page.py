"""The live page as readers get it: its updates, newest first, under the
story's summary; the "Онлайн" mark and the latest updates where the story
is listed or leads the front page."""

import json
from datetime import timedelta

from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.cache import PAGE_NUMBER, page_uses, site_now
from articles.keys import page_shows
from articles.site import SitePart
from articles.views import MAX_PAGE, Page
from frontpage.views import next_midnight

from .models import LiveCoverage, Update, live_key, live_part
from .structured_data import live_blog_posting

UPDATES_PER_PAGE = 20
# Key events linked at the top of the page: the latest ones.
KEY_EVENTS = 30
# Updates under the live page where it leads the front page.
FRONT_UPDATES = 3
# How often the page asks what is new (seconds), and a browser may reuse it.
POLL_SECONDS = 3
BROWSER_MAX_AGE = 5
# How far before a reader's newest update "what's new" looks again (see since).
OVERLAP = timedelta(seconds=30)
# What "what's new" tells open pages of the updates they already show: which
# of the latest are still published (and so which were deleted).
CURRENT = 100


def live_parts():
    """The live pages going on now, read with the site-wide parts once per
    generation (articles/site.py), and when the next one ends."""

    def on_now():
        return LiveCoverage.objects.filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=timezone.now()), is_live=True
        ).order_by("-started_at")

    return {
        "live": SitePart(
            on_now, {"pk": "article_id", "leads": "leads_front"}, lambda rows: list(rows)
        ),
        "live end": SitePart(
            lambda: on_now().filter(ended_at__isnull=False).order_by("ended_at")[:1],
            {"moment": "ended_at"},
        ),
    }


def is_on(article_pk):
    return any(row["pk"] == article_pk for row in site_now()["live"])


def leading():
    """The live pages leading the front page, the latest begun first
    (frontpage/fronts.py's LEADS; a story not published yet leads nothing)."""
    return [row["pk"] for row in site_now()["live"] if row["leads"]]


def live_mark(article):
    """The "Онлайн" mark wherever a live page going on is listed."""
    return [("live", gettext_lazy("Live"))] if is_on(article.pk) else []


def updates_of(article_pk):
    """What readers see of a live page's updates, noted as the page showing them."""
    page_uses(live_part(article_pk))  # before they are read
    page_shows(live_key(article_pk))
    return Update.objects.published().filter(article_id=article_pk).select_related("author__author")


def latest_updates(article):
    """The latest updates under a live page leading a page (articles/marks.py)."""
    if not is_on(article.pk):
        return ""
    updates = list(updates_of(article.pk).newest_first()[:FRONT_UPDATES])
    return render_to_string("live/_latest.html", {"updates": updates, "article": article})


def new_updates_texts():
    """ "N нових оновлень" in each Ukrainian plural form, {n} for the number,
    for the page's script (which picks one with Intl.PluralRules)."""
    return {
        form: ngettext("%(count)s new update", "%(count)s new updates", count) % {"count": "{n}"}
        for form, count in (("one", 1), ("few", 2), ("many", 5), ("other", 5))
    }


def live_page(request, article, context):
    """A live page's template and context (articles/views.py's STORY_FORMATS)."""
    coverage = getattr(article, "live", None)
    if coverage is None or not coverage.is_live:
        return None
    number = request.GET.get("page", "1")
    if not PAGE_NUMBER.fullmatch(number) or int(number) > MAX_PAGE:
        raise Http404
    number = int(number)
    # The page number is part of the page's address in the caches.
    request.page_parameters = ("page",)
    request.page_browser_max_age = BROWSER_MAX_AGE
    request.page_expires = next_midnight()  # "14:32" means today
    updates = updates_of(article.pk).newest_first()
    offset = (number - 1) * UPDATES_PER_PAGE
    stream = updates.filter(is_pinned=False)
    page = Page(list(stream[offset : offset + UPDATES_PER_PAGE + 1]), number, UPDATES_PER_PAGE)
    if number > 1 and not page.object_list:
        raise Http404
    highlights = list(updates.filter(Q(is_pinned=True) | Q(is_key_event=True))[:KEY_EVENTS])
    pinned = next((update for update in highlights if update.is_pinned), None)
    newest = max(
        [*page.object_list[:1], *([pinned] if pinned else [])],
        key=lambda update: (update.posted_at, update.pk),
        default=None,
    )
    going_on = coverage.is_on()
    shown = [*([pinned] if pinned and number == 1 else []), *page.object_list]
    return "live/live_page.html", {
        "coverage": coverage,
        "going_on": going_on,
        "updates": page.object_list,
        "page_obj": page,
        "pinned": pinned if number == 1 else None,
        "key_events": [update for update in highlights if update.is_key_event],
        "poll_url": going_on
        and number == 1
        and reverse("live:since", args=[article.pk, newest.pk if newest else 0]),
        "poll_seconds": POLL_SECONDS,
        "shown_ids": {update.pk for update in shown},
        "new_updates_texts": json.dumps(new_updates_texts(), ensure_ascii=False),
        "relative_texts": json.dumps(relative_texts(), ensure_ascii=False),
        "feed_rss": reverse("live:rss", args=[article.slug]),
        "feed_atom": reverse("live:atom", args=[article.slug]),
        "structured_data": live_blog_posting(context["structured_data"], coverage, shown),
    }


def page_of(article_pk, update_pk):
    """The number of the page of a live page's updates that shows update `update_pk`."""
    updates = Update.objects.published().filter(article_id=article_pk, is_pinned=False)
    update = updates.filter(pk=update_pk).values_list("posted_at", flat=True).first()
    if update is None:
        return 1  # pinned (on the first page), or not one of the page's
    newer = updates.filter(Q(posted_at__gt=update) | Q(posted_at=update, pk__gt=update_pk))
    return newer.count() // UPDATES_PER_PAGE + 1


def since(article_pk, after):
    """What a reader's page polls for: the updates published after update
    `after` (0: every update), newest first, with one more to tell there
    are more than a page, the newest update's number, and the time from
    which the page may have missed a change (None: from the start); None
    if `after` is not one of the page's. Those published up to OVERLAP
    before it come too: two editors' updates are timed when saved, and the
    later one may commit first (the page skips those it has)."""
    updates = updates_of(article_pk).newest_first()
    if after == 0:
        found = list(updates[: UPDATES_PER_PAGE + 1])
        return found, found[0].pk if found else 0, None
    anchor = updates.filter(pk=after).values_list("posted_at", flat=True).first()
    if anchor is None:
        return None
    recent = updates.filter(posted_at__gte=anchor - OVERLAP).exclude(pk=after)
    found = list(recent[: UPDATES_PER_PAGE + 1])
    newer = [u for u in found if (u.posted_at, u.pk) > (anchor, after)]
    return found, newer[0].pk if newer else after, anchor - OVERLAP


def current(article_pk, edited_since):
    """What an open page needs to mend the updates it shows: the numbers of
    the latest CURRENT published updates, the time from which that list is
    whole (None: it holds every update), and those of them edited since
    `edited_since` (None: ever), to replace. An update missing from the list
    since that time was deleted or withdrawn. A page whose newest update is
    older than an edit had it either in its own copy or in an answer since."""
    updates = updates_of(article_pk).newest_first()
    latest = list(updates.values_list("pk", "posted_at", "edited_at")[:CURRENT])
    whole_since = latest[-1][1] if len(latest) == CURRENT else None
    edited = [
        pk
        for pk, _posted, edited in latest
        if edited and (edited_since is None or edited >= edited_since)
    ]
    return (
        [pk for pk, _posted, _edited in latest],
        whole_since,
        list(updates.filter(pk__in=edited)) if edited else [],
    )


def relative_texts():
    """What the page's script says of a time in the last hour."""
    return {"now": _("just now"), "minutes": _("%(minutes)s min ago") % {"minutes": "{n}"}}
