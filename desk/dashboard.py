"""The desk's lists on the admin's front page, for the user looking. Each is
one bounded query (see the indexes on Article)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Article, can_publish

from .models import Assignment, Notification, reporters_stories

Status = Article.Status
LIST_LENGTH = 8
RECENTLY = timedelta(days=7)
NOTIFICATIONS_SHOWN = 8


def desk_lists(user):
    """[(title, articles)] for this user's dashboard."""
    return [(title, list(query[:LIST_LENGTH])) for title, query in desk_queries(user)]


def desk_queries(user):
    """[(title, unevaluated query)]: the dashboard's lists, newest or most
    urgent first."""
    now = timezone.now()
    editor = can_publish(user)
    articles = Article.objects.select_related("updated_by").only(
        "headline", "status", "published_at", "first_published_at", "updated_at",
        "updated_by__username", "updated_by__first_name", "updated_by__last_name",
    )  # fmt: skip
    # The user's own stories, by one indexed column (article_mine_idx); what
    # others wrote and assigned to them is the "Assigned to me" list.
    mine = Q(created_by=user)
    assigned = Q(
        pk__in=Assignment.objects.filter(Q(editor=user) | Q(reporter=user)).values("article_id")
    )
    lists = []
    if editor:
        waiting = Q(assignment__editor=user) | Q(assignment__editor__isnull=True)
        lists.append(
            (
                _("Awaiting my review"),
                articles.filter(waiting, status=Status.IN_REVIEW).order_by("updated_at"),
            )
        )
    lists += [
        (
            _("Assigned to me"),
            articles.filter(assigned).exclude(status=Status.PUBLISHED).order_by("-updated_at"),
        ),
        (
            _("My drafts"),
            articles.filter(mine, status=Status.DRAFT).order_by("-updated_at"),
        ),
        (
            _("Sent back to me"),
            articles.filter(mine, status=Status.CHANGES_REQUESTED).order_by("-updated_at"),
        ),
    ]
    if not editor:
        lists.append(
            (
                _("With the editors"),
                articles.filter(mine, status__in=[Status.IN_REVIEW, Status.APPROVED]).order_by(
                    "-updated_at"
                ),
            )
        )
    scheduled = articles.scheduled().filter(published_at__lte=now + timedelta(hours=24))
    # "Recently" is this week: the index on updated_at then bounds the scan.
    by_others = articles.filter(updated_at__gte=now - RECENTLY, updated_by__isnull=False)
    by_others = by_others.exclude(updated_by=user)
    if not editor:
        # A reporter sees the embargoes and edits of their own stories only.
        scheduled, by_others = scheduled.filter(mine), by_others.filter(mine)
    lists += [
        (_("Scheduled for the next 24 hours"), scheduled.order_by("published_at")),
        (_("Recently published"), articles.published().order_by("-published_at")),
        (_("Recently edited by others"), by_others.order_by("-updated_at")),
    ]
    return lists


def unread(user):
    """The user's unread notifications, newest first, and what their count says."""
    notifications = Notification.objects.filter(user=user, read_at=None)
    if not can_publish(user):
        # Only of stories the reporter may still open.
        notifications = notifications.filter(reporters_stories(user, via="article__"))
    latest = list(notifications.select_related("article", "actor")[:NOTIFICATIONS_SHOWN])
    comment = Q(kind=Notification.Kind.COMMENT)
    counts = notifications.aggregate(
        comments=Count("pk", filter=comment), others=Count("pk", filter=~comment)
    )
    comments, others = counts["comments"], counts["others"]
    summary = []
    if comments:
        summary.append(
            ngettext("%(count)d new comment", "%(count)d new comments", comments)
            % {"count": comments}
        )
    if others:
        summary.append(
            ngettext("%(count)d new event", "%(count)d new events", others) % {"count": others}
        )
    return latest, summary
