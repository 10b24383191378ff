"""The allow-list: which posts may be embedded, read from the link an editor pastes.

A link is taken apart, never passed on: the post is known by its provider and
its identifiers, checked against each provider's own shapes, and every address
readers get (the link, the frame) is built again from those identifiers.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_URL_LENGTH = 500

NAME = r"[A-Za-z0-9_][A-Za-z0-9_.]{0,63}"  # a channel, an account or a page
NUMBER = r"[0-9]{1,20}"


@dataclass(frozen=True)
class Post:
    provider: str
    author: str  # the channel or account, where the link names it
    ident: str

    @property
    def spec(self):
        return PROVIDERS[self.provider]

    @property
    def url(self):
        return self.spec.url.format(author=self.author, ident=self.ident)

    @property
    def frame_url(self):
        return self.spec.frame.format(
            author=self.author, ident=self.ident, url=quote(self.url, safe="")
        )


@dataclass(frozen=True)
class Provider:
    label: str
    hosts: frozenset
    # Path shapes, each with the named groups "ident" and, where the link has
    # one, "author"; a query parameter holding the ident is named by "query".
    paths: tuple
    url: str  # the original, as readers are sent to it
    frame: str  # what the reader's click loads
    frame_host: str
    show: str  # the button's words
    open: str  # the link's words
    frame_height: int
    query: str = ""  # the query parameter that holds the ident, for the paths without one
    ident: str = r"[A-Za-z0-9_-]{1,80}"  # its shape there


PROVIDERS = {
    "telegram": Provider(
        label="Telegram",
        hosts=frozenset({"t.me", "telegram.me"}),
        paths=(rf"/(?:s/)?(?P<author>{NAME})/(?P<ident>{NUMBER})/?",),
        url="https://t.me/{author}/{ident}",
        frame="https://t.me/{author}/{ident}?embed=1",
        frame_host="https://t.me",
        show=_("Show the post from Telegram"),
        open=_("Open the post in Telegram"),
        frame_height=480,
    ),
    "youtube": Provider(
        label="YouTube",
        hosts=frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}),
        paths=(
            r"/(?P<ident>[A-Za-z0-9_-]{11})/?",  # youtu.be
            r"/(?:shorts|embed|live)/(?P<ident>[A-Za-z0-9_-]{11})/?",
            r"/watch/?",
        ),
        query="v",
        ident=r"[A-Za-z0-9_-]{11}",
        url="https://www.youtube.com/watch?v={ident}",
        frame="https://www.youtube-nocookie.com/embed/{ident}",
        frame_host="https://www.youtube-nocookie.com",
        show=_("Show the video from YouTube"),
        open=_("Watch on YouTube"),
        frame_height=0,  # 16:9, from the stylesheet
    ),
    "x": Provider(
        label="X (Twitter)",
        hosts=frozenset({"x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.x.com"}),
        paths=(rf"/(?P<author>{NAME})/status/(?P<ident>{NUMBER})/?",),
        url="https://x.com/{author}/status/{ident}",
        frame="https://platform.twitter.com/embed/Tweet.html?id={ident}&dnt=true",
        frame_host="https://platform.twitter.com",
        show=_("Show the post from X"),
        open=_("Open the post on X"),
        frame_height=560,
    ),
    "facebook": Provider(
        label="Facebook",
        hosts=frozenset({"facebook.com", "www.facebook.com", "m.facebook.com"}),
        paths=(rf"/(?P<author>{NAME})/posts/(?P<ident>{NUMBER}|pfbid[A-Za-z0-9]{{10,80}})/?",),
        url="https://www.facebook.com/{author}/posts/{ident}",
        frame="https://www.facebook.com/plugins/post.php?href={url}&show_text=true",
        frame_host="https://www.facebook.com",
        show=_("Show the post from Facebook"),
        open=_("Open the post on Facebook"),
        frame_height=560,
    ),
    "facebook-video": Provider(
        label="Facebook",
        hosts=frozenset({"facebook.com", "www.facebook.com", "m.facebook.com", "fb.watch"}),
        paths=(
            rf"/(?P<author>{NAME})/videos/(?P<ident>{NUMBER})/?",
            rf"/reel/(?P<ident>{NUMBER})/?",
            r"/watch/?",
        ),
        query="v",
        ident=NUMBER,
        url="https://www.facebook.com/watch/?v={ident}",
        frame="https://www.facebook.com/plugins/video.php?href={url}",
        frame_host="https://www.facebook.com",
        show=_("Show the video from Facebook"),
        open=_("Watch on Facebook"),
        frame_height=0,
    ),
    "instagram": Provider(
        label="Instagram",
        hosts=frozenset({"instagram.com", "www.instagram.com"}),
        paths=(r"/(?:p|reel|tv)/(?P<ident>[A-Za-z0-9_-]{5,40})/?",),
        url="https://www.instagram.com/p/{ident}/",
        frame="https://www.instagram.com/p/{ident}/embed/",
        frame_host="https://www.instagram.com",
        show=_("Show the post from Instagram"),
        open=_("Open the post on Instagram"),
        frame_height=640,
    ),
}

FRAME_HOSTS = sorted({provider.frame_host for provider in PROVIDERS.values()})


def not_a_post(url):
    return ValidationError(
        _("“%(url)s” is not a link to a post."), code="embed_refused", params={"url": url[:100]}
    )


def read_post(url):
    """The post a pasted link points at, or a ValidationError saying why not."""
    url = (url or "").strip()
    if not url:
        raise ValidationError(_("Paste the address of a post."), code="embed_refused")
    if len(url) > MAX_URL_LENGTH or any(c.isspace() or c in "<>\"'`" for c in url):
        raise not_a_post(url)
    try:
        parts = urlsplit(url if "//" in url else f"https://{url}")
        if parts.scheme not in ("http", "https") or parts.username or parts.port:
            raise not_a_post(url)
    except ValueError as error:  # a port that is not a number, a bad IPv6 host
        raise not_a_post(url) from error
    host = (parts.hostname or "").lower()
    candidates = [(name, p) for name, p in PROVIDERS.items() if host in p.hosts]
    for name, provider in candidates:
        for shape in provider.paths:
            match = re.fullmatch(shape, parts.path)
            if not match:
                continue
            groups = match.groupdict()
            ident = groups.get("ident")
            if ident is None and provider.query:
                values = parse_qs(parts.query).get(provider.query, [""])
                ident = values[0] if re.fullmatch(provider.ident, values[0]) else None
            if ident:
                return Post(name, groups.get("author") or "", ident)
    if candidates:
        raise ValidationError(
            _("This %(provider)s address does not point at one post or video."),
            code="embed_refused",
            params={"provider": candidates[0][1].label},
        )
    allowed = ", ".join(sorted({provider.label for provider in PROVIDERS.values()}))
    raise ValidationError(
        _("Posts can be embedded only from %(allowed)s."),
        code="embed_refused",
        params={"allowed": allowed},
    )
