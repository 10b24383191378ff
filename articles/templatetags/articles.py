import json
import time

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from ..cache import content_generation
from ..html import render_body
from ..marks import marks_of
from ..models import Article, Section

register = template.Library()

# Inside <script>, these would let text close the element or open a comment.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.inclusion_tag("articles/_latest.html")
def latest_articles(count=5, exclude=None):
    """The "Останні новини" sidebar: newest published articles, newest first."""
    articles = Article.objects.published().only("headline", "slug", "lead", "published_at")
    if exclude is not None:
        articles = articles.exclude(pk=exclude.pk)
    return {"articles": articles[:count]}


@register.inclusion_tag("articles/_related.html")
def related_articles(article, count=4):
    return {"articles": article.related(count)}


@register.inclusion_tag("articles/_section_nav.html", takes_context=True)
def section_nav(context):
    return {"sections": Section.objects.all(), "request": context.get("request")}


@register.simple_tag(takes_context=True)
def generation(context):
    """The content generation, for {% cache %} keys (see articles/cache.py):
    the one the page itself is rendered in, if it is to be cached."""
    request = context.get("request")
    page_generation = getattr(request, "page_generation", None)
    if page_generation is None:
        page_generation = content_generation()
    # Without the shared cache, a key nothing will ever be stored under again.
    return page_generation if page_generation is not None else f"none-{time.time_ns()}"


@register.simple_tag(takes_context=True)
def section_nav_key(context):
    """The navigation marks the section being read: on a section's pages it
    is cached per section, everywhere else (404 pages too) once."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match and match.url_name == "section":
        return match.kwargs["slug"]
    return ""


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
