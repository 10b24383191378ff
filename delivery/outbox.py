"""The purge outbox: a change writes the keys it touched in its own
transaction (record_purge); the `deliver` worker sends them to every cache
in front (drain). A purge is never lost (the row stays until every cache
took it) and never runs before the commit (the worker cannot see the row
before). Pages are rendered from data at least as new as the commit (see
newsroom/replicas.py), so no purge waits for a replica."""

import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction

from articles.keys import touched

from .models import Purge

# Keys sent in one request: its header stays well under Varnish's 8 KB.
KEYS_PER_REQUEST = 300
PURGE_TIMEOUT = 2  # seconds


def record_purge(sender, instance, created=False, raw=False, using=None, **kwargs):
    """The receiver for every change readers see, when a cache in front is
    configured (settings.PURGE_URLS): nothing else would drain the outbox."""
    if raw or not settings.PURGE_URLS:
        return
    keys = touched(instance, created)
    if keys:
        Purge.objects.using(using).create(keys=" ".join(sorted(keys)))


def drain(limit=1000):
    """Send what the outbox holds to every cache; the keys sent.
    If a cache cannot be reached, the rows stay for the next try (a purge
    sent twice does no harm)."""
    with transaction.atomic():
        rows = Purge.objects.order_by("pk")
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            # Workers on several nodes share the rows, never send one twice.
            rows = rows.select_for_update(skip_locked=True)
        rows = list(rows[:limit])
        if not rows:
            return []
        keys = sorted({key for row in rows for key in row.keys.split()})
        for url in settings.PURGE_URLS:
            for start in range(0, len(keys), KEYS_PER_REQUEST):
                soft_purge(url, keys[start : start + KEYS_PER_REQUEST])
        Purge.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return keys


def soft_purge(url, keys):
    """Ask one cache to mark the pages carrying any of `keys` stale: it
    answers with them while it fetches new ones (deploy/varnish/newsroom.vcl)."""
    request = urllib.request.Request(
        url, method="PURGE", headers={"xkey-softpurge": " ".join(keys)}
    )
    with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT) as response:
        if response.status != 200:
            raise urllib.error.HTTPError(url, response.status, "purge refused", None, None)
