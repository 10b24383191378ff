"""The purge outbox: a change writes the keys it touched in its own
transaction (record_purge); the `deliver` worker sends them to every cache
in front (drain). A purge is never lost (the row stays until every cache
took it) and never runs before the commit (the worker cannot see the row
before). Pages are rendered from data at least as new as the commit (see
newsroom/replicas.py), so no purge waits for a replica."""

import http.client
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction

from articles.keys import touched

from .models import Purge

logger = logging.getLogger(__name__)
# A cache that is down, refuses, or answers garbage.
PURGE_FAILURES = (OSError, http.client.HTTPException)
# Keys sent in one request: its header stays well under Varnish's 8 KB.
KEYS_PER_REQUEST = 300
PURGE_TIMEOUT = 2  # seconds
# A cache that failed is left alone this long (seconds) ...
RETRY_SECONDS = 5
# ... until the time noted here, by its address.
resting = {}


def record_purge(sender, instance, created=False, raw=False, using=None, **kwargs):
    """The receiver for every change readers see."""
    if not raw:
        queue_purge(touched(instance, created), using)


def queue_purge(keys, using=None):
    """Keep `keys` to purge from every cache in front, if there is one
    (settings.PURGE_URLS): nothing else would drain the outbox."""
    if keys and settings.PURGE_URLS:
        text = " ".join(sorted(keys))
        Purge.objects.using(using).bulk_create(
            Purge(target=target, keys=text) for target in settings.PURGE_URLS
        )


def drain(limit=1000):
    """Send what the outbox holds to each cache; the keys sent. A cache that
    cannot be reached keeps its rows for the next try, and holds back no
    other (a purge sent twice does no harm)."""
    # Rows for a cache no longer configured would wait forever.
    Purge.objects.exclude(target__in=settings.PURGE_URLS).delete()
    sent = set()
    for target in settings.PURGE_URLS:
        if time.monotonic() < resting.get(target, 0):
            continue
        try:
            sent |= drain_one(target, limit)
        except PURGE_FAILURES as error:
            logger.warning("Could not purge %s, trying again soon: %s", target, error)
            resting[target] = time.monotonic() + RETRY_SECONDS
    return sorted(sent)


def drain_one(target, limit):
    with transaction.atomic():
        rows = Purge.objects.filter(target=target).order_by("pk")
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            # Workers on several nodes share the rows, never send one twice.
            rows = rows.select_for_update(skip_locked=True)
        rows = list(rows[:limit])
        keys = sorted({key for row in rows for key in row.keys.split()})
        for start in range(0, len(keys), KEYS_PER_REQUEST):
            soft_purge(target, keys[start : start + KEYS_PER_REQUEST])
        Purge.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return set(keys)


def soft_purge(url, keys):
    """Ask one cache to mark the pages carrying any of `keys` stale: it
    answers with them while it fetches new ones (deploy/varnish/newsroom.vcl)."""
    request = urllib.request.Request(
        url, method="PURGE", headers={"xkey-softpurge": " ".join(keys)}
    )
    with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT) as response:
        if response.status != 200:
            raise urllib.error.HTTPError(url, response.status, "purge refused", None, None)
