"""Small factories: articles in each publication state, and what they need."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from articles.models import Article, Author, Byline, Section, Tag, TaggedArticle

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
    return make_article(headline, status=Article.Status.DRAFT, **fields)


def make_scheduled(headline=None, *, after=timedelta(hours=1), **fields):
    return make_article(headline, published_at=timezone.now() + after, **fields)


def make_archive(count, sections, author, tag_name):
    """A large archive in a few queries: published (four in five) and draft
    articles, every third by `author`, every second tagged `tag_name`."""
    now = timezone.now()
    articles = []
    for n in range(count):
        article = Article(
            headline=f"Архівна новина {n}",
            slug=f"arkhivna-novyna-{n}",
            lead=f"Лід архівної новини {n}.",
            body=f"<p>Текст {n}.</p>",
            section=sections[n % len(sections)],
            status=Article.Status.PUBLISHED if n % 5 else Article.Status.DRAFT,
            published_at=now - timedelta(minutes=n + 1),
        )
        article.update_search_fields()  # bulk_create sends no pre_save
        articles.append(article)
    articles = Article.objects.bulk_create(articles)
    Byline.objects.bulk_create(Byline(article=a, author=author) for a in articles[::3])
    tag = Tag.objects.get_or_create(name=tag_name)[0]
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=a, tag=tag) for a in articles[::2]
    )
    return articles
