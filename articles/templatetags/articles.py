import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from ..cache import made_once, site_now
from ..html import render_body
from ..keys import LATEST, page_shows
from ..marks import lead_extras_of, marks_of

register = template.Library()

# Inside <script>, these would let text close the element or open a comment.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


# How many stories the "Останні новини" sidebar lists.
SIDEBAR_STORIES = 5


@register.simple_tag
def latest_articles(count=SIDEBAR_STORIES, exclude=None):
    """The "Останні новини" sidebar: newest published articles, newest
    first, other than the one being read. Behind a cache that assembles
    pages (settings.ESI_FRAGMENTS), a fragment it fetches on its own, so
    that a new story does not purge every article page."""
    if settings.ESI_FRAGMENTS:
        return format_html('<esi:include src="{}"/>', latest_url(exclude and exclude.pk))
    page_shows(LATEST)
    return latest_html(count, exclude and exclude.pk)


def latest_url(exclude):
    """The fragment: one for every article page not itself in the sidebar."""
    in_sidebar = any(article.pk == exclude for article in site_now()["latest"])
    if in_sidebar:
        return reverse("articles:latest-without", args=[exclude])
    return reverse("articles:latest")


def latest_html(count, exclude):
    """Rendered once per content generation for each of the few pages it
    differs on."""
    latest = site_now()["latest"]
    excluded = next((a.pk for a in latest if a.pk == exclude), None)
    return made_once(
        ("latest", count, excluded),
        lambda: render_to_string(
            "articles/_latest.html",
            {"articles": [a for a in latest if a.pk != excluded][:count]},
        ),
    )


@register.inclusion_tag("articles/_related.html")
def related_articles(article, count=4):
    return {"articles": article.related(count)}


@register.simple_tag(takes_context=True)
def section_nav(context):
    """The sections, marking the one being read: rendered once per content
    generation for each section's pages and once for all other pages."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs["slug"] if match and match.url_name == "section" else None
    sections = site_now()["sections"]
    # Only a section that exists: any other address is one more page, not
    # one more copy kept.
    current = next((section.slug for section in sections if section.slug == slug), None)
    return made_once(
        ("section_nav", current),
        lambda: render_to_string(
            "articles/_section_nav.html", {"sections": sections, "current": current}
        ),
    )


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


@register.filter
def ld_json(data):
    """Structured data as a <script type="application/ld+json"> element."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder, indent=2)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),  # safe: escaped just above
    )


@register.filter
def as_readers_see_it(body):
    """The stored body with its blocks (embedded posts, photos) made for readers."""
    return mark_safe(render_body(body))  # safe: sanitised on its way into the database


@register.filter
def machine_time(moment):
    """A time for <time datetime>, in Kyiv, to the second: HTML takes no
    microseconds."""
    return localtime(moment).replace(microsecond=0).isoformat() if moment else ""


@register.inclusion_tag("articles/_marks.html")
def marks(article):
    """The story's marks ("Терміново") before its headline in a list."""
    return {"marks": marks_of(article)}


@register.simple_tag
def lead_extras(article):
    """What other apps show under a story leading a page (articles/marks.py)."""
    return mark_safe("".join(lead_extras_of(article)))  # safe: rendered from templates
