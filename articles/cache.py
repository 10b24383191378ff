"""The content generation: one number in the shared cache that moves whenever
anything readers see changes, and when a scheduled article's time comes.

A cached page is stored with the generation it was rendered in, and what
every page shows of the whole site is read once for each generation and kept
under it (articles/site.py), so a change on one app server makes every
server's copies stale at once, and nothing needs purging. Each worker also
keeps the pages it served last (RecentPages) and learns of a new generation
from a Redis channel (GenerationWatch), so a warm page costs no network trip.
Browsers and CDNs may reuse a page for SHARED_MAX_AGE seconds, then
revalidate (a 304 if it is unchanged).
"""

import functools
import hashlib
import json
import os
import re
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import OperationalError, transaction
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date, urlencode
from psycopg.errors import QueryCanceled
from redis.exceptions import RedisError

from newsroom.replicas import primary_position, read_from_replica, reading_replica, replica

from .keys import SITE, header_value, page_keys
from .site import next_change, read_site

GENERATION_KEY = "newsroom:content-generation"
GENERATION_CHANNEL = "newsroom:content-changed"
PAGE_TIMEOUT = 24 * 3600  # a new generation makes old copies unreachable anyway
# The site-wide parts are needed while their generation is current; each save
# makes two, so they go sooner (a process missing them reads them again).
SITE_TIMEOUT = 3600
# How long a browser may reuse a page before asking again (it then gets a
# 304 if nothing changed).
SHARED_MAX_AGE = 60
# How long a cache in front of the app servers (Varnish) may keep a page:
# it is purged when what the page shows changes (articles/keys.py), so this
# is only a safety net, long for an article and shorter for a list. It may
# answer with a stale copy while it fetches a new one, or while the app
# servers fail.
ARTICLE_EDGE_MAX_AGE = 24 * 3600
LIST_EDGE_MAX_AGE = 300
STALE_WHILE_REVALIDATE = 30
STALE_IF_ERROR = 24 * 3600
# The surrogate keys a page carries (articles/keys.py); the cache in front
# reads and removes it.
KEYS_HEADER = "xkey"
# Pages each app server process keeps in its own memory (RecentPages).
RECENT_PAGES = 200
# The only query parameters reader pages read: the page number (`p` in the
# sitemaps) and the search (the search app adds its filters). Any other
# parameter is the same page.
PAGE_PARAMETERS = {"page", "p", "q"}
# The longest search kept: a longer one is answered but not kept.
MAX_QUERY_LENGTH = 200
# How often a process re-reads the generation even if no change was announced.
RECHECK_SECONDS = 5
# A page number as pages write it: "01" or "+1" would be another address.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
# The settings that shape a page's security headers, and the release that
# rendered it (see headers_version).
HEADER_SETTINGS = ("CONTENT_SECURITY_POLICY", "SECURE_", "X_FRAME_OPTIONS", "RELEASE")
# What GenerationWatch.current answers when Redis cannot be reached.
UNREACHABLE = object()
# Where the stamps of parts that change often are kept (see page_uses).
STAMP_KEY = "newsroom:stamp:"
# The shape of a kept page (see store_copy): a release that changes it
# leaves the copies of the one before unread.
ENTRY_FORMAT = 2


class GenerationWatch:
    """This process's copy of the generation state. With Redis it is kept
    current by a channel new_generation announces on: before each use the
    subscription is polled (no waiting, no round trip), so answering a
    reader from RecentPages needs no trip to Redis but one read every
    RECHECK_SECONDS. Without Redis (one process, the local memory cache) it
    reads the cache each time."""

    def __init__(self):
        self.lock = threading.Lock()
        self.subscription = None
        self.pid = None
        self.state = None
        self.read_at = 0.0
        # Redis failed us: a change made meanwhile may not have reached it.
        self.in_doubt = False

    def current(self):
        """The generation state (None if there is none yet), or UNREACHABLE
        when Redis cannot be reached: then nothing may come from a cache."""
        if not hasattr(cache, "subscribe"):
            return cache.get(GENERATION_KEY)
        with self.lock:
            try:
                return self.current_by_subscription()
            except (OSError, RedisError):
                self.subscription, self.in_doubt = None, True
                return UNREACHABLE

    def current_by_subscription(self):
        if self.subscription is None or self.pid != os.getpid():
            # Subscribe before reading, so no announcement falls in between.
            self.subscription, self.pid = cache.subscribe(GENERATION_CHANNEL), os.getpid()
            self.state = None
        while self.subscription.get_message(timeout=0) is not None:
            self.state = None
        if self.state is None or time.monotonic() - self.read_at > RECHECK_SECONDS:
            # Also re-read now and then: a subscription can die silently.
            self.state, self.read_at = cache.get_or_raise(GENERATION_KEY), time.monotonic()
        if self.in_doubt:
            # Back after a failure: whatever is stored may predate a change
            # that could not be announced, so start afresh (new_generation
            # puts the doubt back if Redis fails again).
            self.in_doubt = False
            self.state = new_generation()
        return self.state


watch = GenerationWatch()


# The generation state the page being rendered is in (set by cached_view
# for the request), so that all of a page comes from one generation, read once.
page_state = ContextVar("page_state", default=None)
# The stamps of the often-changing parts the page being rendered shows.
page_stamps = ContextVar("page_stamps", default=None)


def current_state():
    """The generation state to render a page in; None when the shared cache
    is unreachable (the page is then neither kept nor taken from a cache)."""
    state = watch.current()
    if state is UNREACHABLE:
        return None
    if state is None or is_due(state):
        state = new_generation()
    return state


def content_generation():
    state = current_state()
    return state and state["number"]


def is_due(state):
    """What readers see has changed by itself since the generation began: a
    scheduled article came due, a front-page slot expired."""
    upcoming = state["next_change"]
    return upcoming is not None and timezone.now() >= upcoming


def new_generation(committed=True):
    """Start a new generation, with the site-wide parts pages show read for
    it (articles/site.py), and announce it. Inside a transaction that may
    yet roll back (`committed` false) the parts are read only to know the
    next change, and not kept: pages read them when they need them."""
    global last_site
    site = read_site()
    state = {
        "number": time.time_ns(),
        "next_change": next_change(site),
        # How far the primary had gone: pages are read from a replica only
        # once it has replayed this far (newsroom/replicas.py). Not before
        # the commit: the commit is further on, and until the generation
        # after it begins, pages are read from the primary.
        "position": primary_position() if committed else None,
    }
    kept = {site_key(state["number"]): site} if committed else {}
    if committed:
        last_site = (state["number"], site, {})
    if not hasattr(cache, "publish"):  # the local memory cache: one process
        cache.set_many(kept, SITE_TIMEOUT)
        cache.set(GENERATION_KEY, state, timeout=None)
        return state
    try:
        # The site first: a process that sees the new state finds it.
        for key, value in kept.items():
            cache.set_or_raise(key, value, SITE_TIMEOUT)
        cache.set_or_raise(GENERATION_KEY, state, timeout=None)
        cache.publish(GENERATION_CHANNEL)
    except (OSError, RedisError):
        watch.in_doubt = True
    return state


def site_key(number):
    return f"newsroom:site:{number}"


# This process's copy of the site-wide parts: (generation number, parts,
# what pages made of them: see made_once).
last_site = (None, None, {})


def site_now():
    """The site-wide parts pages show (articles/site.py) as of the
    generation pages are rendered in: from this process's copy, else the
    shared cache, else read (once per generation, whatever the page)."""
    global last_site
    state = page_state.get() or current_state()
    # Without the shared cache nothing is kept: read again each second.
    number = state["number"] if state else ("unreachable", int(time.monotonic()))
    if last_site[0] == number:
        return last_site[1]
    site = cache.get(site_key(number)) if state else None
    if site is None:
        site = read_site()
        if state:
            cache.set(site_key(number), site, SITE_TIMEOUT)
    last_site = (number, site, {})
    return site


def made_once(key, make):
    """What `make` makes of the site-wide parts (the rendered navigation,
    the sidebar), made once per generation in this process."""
    site = site_now()
    _, kept_site, made = last_site
    if kept_site is not site:  # another thread moved this process on meanwhile
        return make()
    if key not in made:
        made[key] = make()
    return made[key]


def content_changed(**signal_kwargs):
    """The receiver for every content change: a new generation at once, and
    another when the transaction commits, so that a page another process
    rendered in between, from the data as it was before the commit, is not
    kept."""
    new_generation(committed=False)
    transaction.on_commit(new_generation)


def page_uses(part):
    """Note that the page being rendered shows `part`, one of the few things
    that change far more often than the rest of the site (a live page's
    updates). A change to it moves the part's stamp (part_changed), not the
    generation: only the pages showing it are rendered again. Called before
    the part is read, so a copy never holds data newer than its stamp says."""
    stamps = page_stamps.get()
    if stamps is None or part in stamps:
        return
    stamp = cache.get(STAMP_KEY + part)
    if stamp is None:
        cache.add(STAMP_KEY + part, {"number": time.time_ns(), "position": None}, None)
        stamp = cache.get(STAMP_KEY + part)
    # Unknown (Redis unreachable): the page is not kept (see storable).
    stamps[part] = stamp and stamp["number"]
    if stamp and reading_replica.get() and not replica.caught_up(stamp["position"]):
        # Like a generation's, the part's last change may not be on the replica yet.
        reading_replica.set(False)


def part_changed(part):
    """Every page showing `part` is stale: at once, and again when the
    transaction commits (as content_changed does for the generation)."""

    def move_stamp(committed=True):
        stamp = {"number": time.time_ns(), "position": primary_position() if committed else None}
        if not hasattr(cache, "set_or_raise"):  # the local memory cache: one process
            cache.set(STAMP_KEY + part, stamp, None)
            return
        try:
            cache.set_or_raise(STAMP_KEY + part, stamp, None)
        except (OSError, RedisError):
            # Copies may be kept as current meanwhile: once Redis is back,
            # a new generation makes every copy stale (GenerationWatch).
            watch.in_doubt = True

    move_stamp(committed=False)
    transaction.on_commit(move_stamp)


def stamps_current(stamps):
    """Whether the parts a copy shows are as they were when it was kept."""
    if not stamps:
        return True
    now = cache.get_many([STAMP_KEY + part for part in stamps])
    return all(
        (now.get(STAMP_KEY + part) or {}).get("number") == number for part, number in stamps.items()
    )


def page_key(request):
    """The cache key of a page: its address with only the parameters pages
    read, so that made-up parameters cannot fill the cache with copies."""
    parameters = sorted(
        (name, request.GET[name]) for name in PAGE_PARAMETERS if name in request.GET
    )
    address = request.build_absolute_uri(request.path) + "?" + urlencode(parameters)
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"newsroom:page:{ENTRY_FORMAT}:{headers_version()}:{digest}"


@functools.cache
def headers_version():
    """The settings behind the security headers a kept page was stored with
    (they are not added again when it is served), and its release: a deploy
    changing them makes every copy unreachable."""
    names = [name for name in dir(settings) if name.startswith(HEADER_SETTINGS)]
    text = json.dumps(
        {name: getattr(settings, name, None) for name in names},
        sort_keys=True,
        default=lambda value: sorted(value) if isinstance(value, set | frozenset) else str(value),
    )
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@receiver(setting_changed)
def forget_headers_version(setting, **kwargs):
    """Settings change only at start-up, or in tests."""
    if setting.startswith(HEADER_SETTINGS):
        headers_version.cache_clear()


class RecentPages:
    """The pages this process served last, so that answering a reader needs
    no trip to the shared cache at all (see GenerationWatch). Bounded: the
    least recently served copy goes first."""

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, generation):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] != generation or expired(entry):
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


recent_pages = RecentPages(size=RECENT_PAGES)


def cached_copy(request):
    """The cached page for this request if it is of the current generation,
    as a 304 when the client already has it; None otherwise."""
    state = watch.current()
    if state is UNREACHABLE or state is None or is_due(state):
        return None
    key = page_key(request)
    entry = recent_pages.get(key, state["number"])
    if entry is None:
        entry = cache.get(key)
        if entry is None or entry[0] != state["number"] or expired(entry):
            return None
        recent_pages.put(key, entry)
    generation, headers, content, expires, stamps, browser_max_age = entry
    if not stamps_current(stamps):
        return None
    response = HttpResponse(content, headers=headers)
    # Its max-age was right when it was stored: tell what is left of it now,
    # up to the next change that comes by itself (the lower one is kept).
    if state["next_change"] is not None:
        expires = min(expires, state["next_change"].timestamp())
    left = max(0, int(expires - time.time()))
    patch_cache_control(response, max_age=min(left, browser_max_age), s_maxage=left)
    return conditional(request, response, last_change(generation, stamps))


def last_change(generation, stamps):
    """When what a page shows last changed: its generation, or a part's stamp."""
    return max([generation, *(stamps or {}).values()])


def conditional(request, response, moment):
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=int(moment / 1e9),
        response=response,
    )


def storable(request, response):
    """A page rendered for an anonymous reader in a known generation, that
    sets no cookie (a cookie is one reader's, never everyone's)."""
    used = getattr(request, "page_parameters", ())
    return (
        getattr(request, "page_generation", None) is not None
        # A parameter the page does not read would only make another copy.
        and all(name in used for name in PAGE_PARAMETERS if name in request.GET)
        and is_canonical(request)
        and None not in (page_stamps.get() or {}).values()
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
    )


def is_canonical(request):
    """The one address of a page that is kept: page numbers written plainly,
    a search no longer than search reads, the host on the server's own port.
    Any other spelling is answered too, but rendered each time, so that no
    one can fill the cache with copies of one page."""
    for name in ("page", "p"):
        if name in request.GET and not PAGE_NUMBER.fullmatch(request.GET[name]):
            return False
    query = request.GET.get("q")
    if query is not None and (len(query) > MAX_QUERY_LENGTH or "\x00" in query):
        return False
    host = request.get_host()
    port = host.rsplit(":", 1)[1] if re.search(r":[0-9]+$", host) else None
    return port is None or port == request.get_port()


def expired(entry):
    return time.time() >= entry[3]


def store_copy(request, response):
    """Keep the page as bytes and headers, as the whole stack sent it (a
    pickled response object costs more to load than the page does to send),
    until the page says its content changes with the clock (page_expires)."""
    generation = request.page_generation
    lifetime = PAGE_TIMEOUT
    # A browser or CDN must not keep it past the next change that comes by
    # itself either (a slot's expiry, a scheduled story), for it is not told.
    for expires in (getattr(request, "page_expires", None), request.page_next_change):
        if expires is not None:
            lifetime = min(lifetime, int((expires - timezone.now()).total_seconds()))
    stamps = dict(page_stamps.get() or {})
    browser_max_age = getattr(request, "page_browser_max_age", SHARED_MAX_AGE)
    response["ETag"] = quote_etag(hashlib.md5(response.content, usedforsecurity=False).hexdigest())
    response["Last-Modified"] = http_date(last_change(generation, stamps) / 1e9)
    response[KEYS_HEADER] = header_value(page_keys.get())
    lifetime = max(0, lifetime)
    patch_cache_control(
        response,
        public=True,
        max_age=min(browser_max_age, lifetime),
        s_maxage=min(request.page_edge_max_age, lifetime),
        stale_while_revalidate=STALE_WHILE_REVALIDATE,
        stale_if_error=STALE_IF_ERROR,
    )
    if lifetime > 0:
        # Kept as long as the front cache may keep it: cached_copy tells
        # what is left of it.
        lifetime = min(lifetime, request.page_edge_max_age)
        expires = time.time() + lifetime
        entry = (
            generation,
            dict(response.items()),
            response.content,
            expires,
            stamps,
            browser_max_age,
        )
        cache.set(page_key(request), entry, lifetime)


def cached_page(view, parameters=(), shows=(), edge_max_age=LIST_EDGE_MAX_AGE):
    """Mark what anonymous readers are served with the content generation it
    is rendered in, for CachedPageMiddleware to keep and answer with, if the
    address has no parameter but those of PAGE_PARAMETERS the view reads.
    `shows` are the page's surrogate keys known from its address (the view
    and its templates add the rest: articles/keys.py). Staff (previews
    included) always get a fresh, private render."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            return response
        state = current_state()
        page_state.set(state)
        request.page_generation = state and state["number"]
        request.page_next_change = state and state["next_change"]
        request.page_parameters = parameters
        request.page_edge_max_age = edge_max_age
        page_keys.set({SITE, *shows})
        if not read_from_replica(state):
            return view(request, *args, **kwargs)
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()  # here, where a failing replica can be left
            return response
        except OperationalError as error:
            if isinstance(error.__cause__, QueryCanceled):
                raise  # a statement too long for any database: not the replica's fault
            # The replica went away under this request: the primary answers.
            replica.failed()
            reading_replica.set(False)
            page_keys.set({SITE, *shows})
            return view(request, *args, **kwargs)

    return cached_view


class CachedPageMiddleware:
    """Answer readers without a session from the page cache before the rest
    of the stack (sessions, auth, URL resolving), as whitenoise does for
    static files; keep what that stack answers to pages marked by
    cached_page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # What an earlier request on this thread was in, and showed.
        page_state.set(None)
        page_keys.set(None)
        page_stamps.set(None)
        reading_replica.set(False)
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        if not anonymous or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        page_stamps.set({})
        copy = cached_copy(request)
        if copy is not None:
            return copy
        response = self.get_response(request)
        if storable(request, response):
            store_copy(request, response)
            moment = last_change(request.page_generation, page_stamps.get())
            return conditional(request, response, moment)
        return response
