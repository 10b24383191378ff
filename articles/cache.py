"""The content generation: one number in the shared cache that moves whenever
anything readers see changes, and when a scheduled article's time comes.

Cached fragments carry it in their keys, and a cached page is stored with the
generation it was rendered in, so a change on one app server makes every
server's copies stale at once, and nothing needs purging. Browsers and CDNs
may reuse a page for SHARED_MAX_AGE seconds, then revalidate (a 304 if it is
unchanged).
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date

GENERATION_KEY = "newsroom:content-generation"
PAGE_TIMEOUT = 24 * 3600  # a new generation makes old copies unreachable anyway
# How long a browser or CDN may reuse a page before asking again (it then
# gets a 304 if nothing changed).
SHARED_MAX_AGE = 60


def content_generation():
    state = cache.get(GENERATION_KEY)
    if state is None or is_due(state):
        state = new_generation()
    return state["number"]


def is_due(state):
    """A scheduled article's time has come: what readers see has changed."""
    upcoming = state["next_publication"]
    return upcoming is not None and timezone.now() >= upcoming


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


def page_key(absolute_url):
    return "newsroom:page:" + hashlib.sha256(absolute_url.encode()).hexdigest()


def cached_copy(request):
    """The cached page for this request if it is of the current generation,
    as a 304 when the client already has it; None otherwise. One cache trip."""
    key = page_key(request.build_absolute_uri())
    found = cache.get_many([GENERATION_KEY, key])
    state, entry = found.get(GENERATION_KEY), found.get(key)
    if state is None or entry is None or is_due(state) or entry[0] != state["number"]:
        return None
    response = entry[1]
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=int(entry[0] / 1e9),
        response=response,
    )


def store_copy(request, response, generation):
    response["ETag"] = quote_etag(hashlib.md5(response.content, usedforsecurity=False).hexdigest())
    response["Last-Modified"] = http_date(generation / 1e9)
    patch_cache_control(response, public=True, max_age=SHARED_MAX_AGE)
    cache.set(page_key(request.build_absolute_uri()), (generation, response), PAGE_TIMEOUT)


def cached_page(view):
    """Store what anonymous readers are served, once per content generation,
    for CachedPageMiddleware to answer with. Staff (previews included) always
    get a fresh, private render."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            return response
        generation = content_generation()
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code == 200:
            store_copy(request, response, generation)
        return response

    return cached_view


class CachedPageMiddleware:
    """Answer readers without a session from the page cache before the rest
    of the stack (sessions, auth, URL resolving), as whitenoise does for
    static files. Everything else goes on to the views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        copy = cached_copy(request) if anonymous and request.method in ("GET", "HEAD") else None
        return copy if copy is not None else self.get_response(request)
