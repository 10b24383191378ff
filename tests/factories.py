"""Small factories: articles in each publication state, and what they need."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from articles.models import Article, Author, Byline, Section

_numbers = count(1)


def make_section(name=None, **fields):
    number = next(_numbers)
    fields.setdefault("slug", f"rubryka-{number}")
    return Section.objects.create(name=name or f"Рубрика {number}", **fields)


def make_author(name=None, **fields):
    number = next(_numbers)
    fields.setdefault("slug", f"avtor-{number}")
    return Author.objects.create(name=name or f"Автор {number}", **fields)


def make_article(headline=None, *, ago=timedelta(hours=1), authors=(), tags=(), **fields):
    """A published article, `ago` before now; pass status or published_at to vary."""
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - ago)
    if fields.get("section") is None:
        fields["section"] = make_section()
    article = Article.objects.create(
        headline=headline or f"Новина номер {next(_numbers)}",
        lead=fields.pop("lead", "Лід новини."),
        body=fields.pop("body", "<p>Текст новини.</p>"),
        **fields,
    )
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)
    if tags:
        article.tags.add(*tags)
    return article


def make_draft(headline=None, **fields):
    """A draft as the form leaves it: to be published whenever it is."""
    fields.setdefault("published_at", None)
    return make_article(headline, status=Article.Status.DRAFT, **fields)


def make_scheduled(headline=None, *, after=timedelta(hours=1), **fields):
    return make_article(headline, published_at=timezone.now() + after, **fields)


def embedded(url, text=""):
    """A post's link as the body's editor stores it (embeds/blocks.py)."""
    quote = f"<blockquote>{text}</blockquote>" if text else ""
    return (
        f'<figure data-embed="" data-url="{url}">{quote}<p><a href="{url}">{url}</a></p></figure>'
    )
