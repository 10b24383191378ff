"""An article as readers would see it, built from a form's fields without saving."""

import copy
import re

from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from articles.html import sanitize_html
from articles.models import Article, ArticleNote, Author, Byline, Tag, tag_key
from articles.structured_data import news_article
from articles.text import slugify_uk

from .forms import omitted

CONTENT_FIELDS = {field.name for field in Article._meta.concrete_fields} - {"photo"}
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
UNSAVED = 0  # the number a new article's preview goes by; saved articles start at 1
MAX_BYLINES = 50
# Typed text shown as typed, even while the form would refuse it.
TEXT_FIELDS = ("headline", "lead", "photo_caption", "photo_credit", "photo_alt", "slug")


def fixed_queryset(model, objects):
    """A queryset that yields exactly `objects` (unsaved ones too), the way a
    prefetched relation does."""
    queryset = model.objects.none()
    queryset._result_cache, queryset._prefetch_done = list(objects), True
    return queryset


def tags_named(names):
    known = {tag.key: tag for tag in Tag.objects.filter(key__in=[tag_key(n) for n in names])}
    return [known.get(tag_key(name)) or Tag(name=name, slug=Tag().slugify(name)) for name in names]


def typed_bylines(data, prefix="bylines"):
    """The bylines a form's inline holds, in order, or None if it has none."""
    total = data.get(f"{prefix}-TOTAL_FORMS", "")
    if not total.isdigit():
        return None
    rows = []
    for index in range(min(int(total), MAX_BYLINES)):
        author = data.get(f"{prefix}-{index}-author", "")
        position = data.get(f"{prefix}-{index}-position", "")
        if author.isdigit() and not data.get(f"{prefix}-{index}-DELETE"):
            rows.append((int(position) if position.isdigit() else index, int(author)))
    authors = Author.objects.in_bulk([author for _position, author in rows])
    return [
        Byline(author=authors[author], position=position)
        for position, author in sorted(rows)
        if author in authors
    ]


def unsaved_article(form, article):
    """The article with the form's fields in it, never saved: a copy of the
    stored one (or a new one). Fields the form cannot take yet keep what
    the editor typed, where that is text."""
    article = copy.copy(article) if article else Article()
    article._prefetched_objects_cache = {}
    form.instance = article
    form.full_clean()  # errors are the form's business; a preview shows what is there
    sent = {name for name in form.fields if not omitted(form, name)}
    for name, value in form.cleaned_data.items():
        if name in CONTENT_FIELDS and name in sent:
            setattr(article, name, value)
    for name in TEXT_FIELDS:
        if name in sent and name not in form.cleaned_data:
            setattr(article, name, form[name].data or "")
    if "body" in sent and "body" not in form.cleaned_data:
        article.body = sanitize_html(form["body"].data or "")
    article.new_photo = bool(getattr(form, "held", None) or form.files.get("photo"))
    if "tags" in form.cleaned_data and "tags" in sent:
        tags = tags_named(form.cleaned_data["tags"])
    elif article.pk:
        tags = list(article.tags.all())
    else:
        tags = []
    article._prefetched_objects_cache["tags"] = fixed_queryset(Tag, tags)
    bylines = typed_bylines(form.data)
    if bylines is not None:
        article._prefetched_objects_cache["bylines"] = fixed_queryset(Byline, bylines)
    if article.pk is None:
        # Related objects of an unsaved article cannot be asked for; a preview
        # number that no article has (never saved) lets the page ask for the
        # ones given here.
        article.pk = UNSAVED
        article._prefetched_objects_cache.setdefault("bylines", fixed_queryset(Byline, []))
        article._prefetched_objects_cache["notes"] = fixed_queryset(ArticleNote, [])
    if not SLUG.fullmatch(article.slug or ""):  # a slug still being typed
        article.slug = slugify_uk(article.headline) or "article"
    if article.published_at is None:
        article.published_at = timezone.now()
    return article


def preview_response(request, article):
    """The reader page of an unsaved article: never cached, never indexed."""
    response = TemplateResponse(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "object": article,
            "is_preview": True,
            "unsaved_preview": True,
            "structured_data": news_article(article, request.build_absolute_uri),
        },
    )
    response.render()
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
