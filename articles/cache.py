"""The content generation: one number in the shared cache that moves whenever
anything readers see changes, and when a scheduled article's time comes.

Cached fragments and pages carry it in their keys, so a change on one app
server makes every server's copies stale at once, and nothing needs purging.
"""

import time

from django.core.cache import cache
from django.utils import timezone

GENERATION_KEY = "newsroom:content-generation"


def content_generation():
    state = cache.get(GENERATION_KEY)
    due = state and state["next_publication"] and timezone.now() >= state["next_publication"]
    if state is None or due:
        state = new_generation()
    return state["number"]


def new_generation(**signal_kwargs):
    """Start a new generation; also the receiver for every content change."""
    from .models import Article

    upcoming = Article.objects.filter(
        status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
    ).order_by("published_at")
    state = {
        "number": time.time_ns(),
        "next_publication": upcoming.values_list("published_at", flat=True).first(),
    }
    cache.set(GENERATION_KEY, state, timeout=None)
    return state
