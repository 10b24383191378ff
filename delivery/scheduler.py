"""Scheduled stories come out exactly once, however many nodes run the
`deliver` worker: under a PostgreSQL advisory lock only one looks at a
time, and a unique row per publication (Announcement) holds even without
it (SQLite: one writer anyway)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from articles.keys import touched
from articles.models import Article

from .models import Announcement
from .outbox import queue_purge

# Any number that no other part of the site takes an advisory lock on.
ANNOUNCE_LOCK = 0x6E657773  # "news"
# How far back a publication is still announced (a worker stopped that long
# is an outage of its own).
LOOK_BACK = timedelta(days=2)


def announce_due():
    """Announce every story whose publication time has come since it was
    last saved, purging the pages it now appears on; their ids."""
    now = timezone.now()
    with transaction.atomic():
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ANNOUNCE_LOCK])
                if not cursor.fetchone()[0]:
                    return []  # another node is at it
        already = Announcement.objects.filter(
            article=OuterRef("pk"), published_at=OuterRef("published_at")
        )
        due = (
            Article.objects.published()
            .filter(published_at__gt=now - LOOK_BACK)
            .exclude(Exists(already))
            .order_by("published_at")[:100]
        )
        announced = []
        for article in due:
            try:
                with transaction.atomic():
                    Announcement.objects.create(article=article, published_at=article.published_at)
            except IntegrityError:
                continue  # announced meanwhile by a worker without the lock
            announced.append(article.pk)
            # Saved before its time: the save purged only its own page.
            if article.published_at > article.updated_at:
                queue_purge(touched(article))
    return announced
