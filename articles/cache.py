"""The content generation: one number in the shared cache that moves whenever
anything readers see changes, and when a scheduled article's time comes.

Cached fragments and pages carry it in their keys, so a change on one app
server makes every server's copies stale at once, and nothing needs purging.
"""

import hashlib
import time
from functools import wraps

from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

GENERATION_KEY = "newsroom:content-generation"
PAGE_TIMEOUT = 24 * 3600  # a new generation makes old copies unreachable anyway
# How long a browser or CDN may reuse a page before asking again (it then
# gets a 304 if nothing changed).
SHARED_MAX_AGE = 60


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


def page_key(absolute_url, generation):
    digest = hashlib.sha256(absolute_url.encode()).hexdigest()
    return f"newsroom:page:{generation}:{digest}"


def cached_page(view):
    """Serve anonymous readers a copy rendered once per content generation.

    Staff (previews included) always get a fresh, private render.
    """

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            return response
        generation = content_generation()
        key = page_key(request.build_absolute_uri(), generation)
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code == 200:
                cache.set(key, response, PAGE_TIMEOUT)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=SHARED_MAX_AGE)
            response["Last-Modified"] = http_date(generation / 1e9)
        return response

    return cached_view
