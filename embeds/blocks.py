"""The embedded post as the body stores it, checks it, and shows it."""

import re
from html import unescape

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, strip_tags

from articles.html import BodyBlock

from .providers import read_post

# What the sanitiser lets through: the element, and its two attributes. Every
# element is rebuilt from data-url alone, so nothing else an editor (or a
# paste) put there survives.
TAGS = frozenset({"figure"})
ATTRIBUTES = {"figure": {"data-embed", "data-url"}}

EMBED = re.compile(r"<figure\b[^>]*\bdata-embed\b[^>]*>.*?</figure>", re.DOTALL | re.IGNORECASE)
DATA_URL = re.compile(r"""\bdata-url\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))""", re.IGNORECASE)
QUOTE = re.compile(r"<blockquote>(.*?)</blockquote>", re.DOTALL)
MAX_QUOTE = 2000  # characters of the post's text an editor may keep with it


def parts(element):
    """The link and the quoted text of a stored or submitted element."""
    found = DATA_URL.search(element[: element.index(">") + 1])
    url = unescape(next((g for g in found.groups() if g is not None), "")) if found else ""
    quote = QUOTE.search(element)
    text = unescape(strip_tags(quote.group(1))).strip()[:MAX_QUOTE] if quote else ""
    return url, text


def as_link(post, text):
    """The post's text and a plain link to it: what feeds get, and what the
    body keeps inside its element."""
    quote = format_html("<blockquote>{}</blockquote>", text) if text else ""
    return format_html('{}<p><a href="{}">{}</a></p>', quote, post.url, post.url)


def stored(post, text):
    return format_html(
        '<figure data-embed="{}" data-url="{}">{}</figure>',
        post.provider,
        post.url,
        as_link(post, text),
    )


def as_text(*words):
    """An element we do not embed, as the words it held."""
    return format_html("<p>{}</p>", " ".join(filter(None, words)))


def check(html):
    errors = []
    for element in EMBED.findall(html or ""):
        try:
            read_post(parts(element)[0])
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)


def each_post(html, make):
    """Every element made into make(post, text); one the allow-list does not
    vouch for (a paste, or a provider since taken off it) into its words."""

    def replace(match):
        url, text = parts(match.group(0))
        try:
            post = read_post(url)
        except ValidationError:
            return as_text(text, url)
        return make(post, text)

    return EMBED.sub(replace, html)


def tidy(html):
    return each_post(html, stored)


def render(html):
    """Each post as a card with a link; the provider's frame only on a click
    (embeds/embeds.js), so a page asks nothing of another host until then."""
    seen = []

    def card(post, text):
        seen.append(post)
        return render_to_string("embeds/_card.html", {"post": post, "text": text})

    html = each_post(html, card)
    if seen:
        html += format_html('<script type="module" src="{}"></script>', static("embeds/embeds.js"))
    return html


def plain(html):
    return each_post(html, as_link)


EMBED_BLOCK = BodyBlock(
    extension="Embed",
    tags=TAGS,
    attributes=ATTRIBUTES,
    check=check,
    tidy=tidy,
    render=render,
    plain=plain,
    editor_options=lambda: {"checkUrl": reverse("embed-check")},
)
