"""Keeping the index current: an article's entry is written on every change
to it, its tags or its bylines, in the same transaction (search/signals.py);
`manage.py search_index` and migration 0002 write every entry at once."""

from django.db import connection

from .backends import backend
from .document import streams, surface_words
from .models import Entry, Word

BATCH = 500
PUBLISHED = "published"  # Article.Status.PUBLISHED, also in migrations


def names(article):
    tags = [item.tag.name for item in article.tagged_items.select_related("tag")]
    authors = [byline.author.name for byline in article.bylines.select_related("author")]
    return tags, authors


def index_article(article):
    """Write the entry of one article (the current models)."""
    if article.status != PUBLISHED or article.published_at is None or article.pk is None:
        remove(article.pk)
        return
    entry, _ = Entry.objects.update_or_create(
        article_id=article.pk,
        defaults={"section_id": article.section_id, "published_at": article.published_at},
    )
    tags, authors = names(article)
    backend().store([(entry.pk, streams(article, tags, authors))])
    add_words(surface_words(article, tags, authors))


def remove(article_id):
    if article_id is not None:
        Entry.objects.filter(article_id=article_id).delete()
        backend().remove(article_id)


def add_words(found, word_model=Word):
    word_model.objects.bulk_create(
        (word_model(word=word) for word in sorted(found)), ignore_conflicts=True, batch_size=BATCH
    )


def rebuild(article_model, entry_model, word_model, tagged_model, byline_model):
    """Index every published article anew. Takes the models, so that a
    migration can pass its historical ones."""
    entry_model.objects.all().delete()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM search_text")
    articles = article_model.objects.filter(status=PUBLISHED, published_at__isnull=False)
    ids = list(articles.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = list(articles.filter(pk__in=ids[start : start + BATCH]))
        tags, authors = {}, {}
        for article_id, name in tagged_model.objects.filter(content_object__in=batch).values_list(
            "content_object_id", "tag__name"
        ):
            tags.setdefault(article_id, []).append(name)
        for article_id, name in byline_model.objects.filter(article__in=batch).values_list(
            "article_id", "author__name"
        ):
            authors.setdefault(article_id, []).append(name)
        entries = entry_model.objects.bulk_create(
            entry_model(article_id=a.pk, section_id=a.section_id, published_at=a.published_at)
            for a in batch
        )
        documents, words = [], set()
        for article, entry in zip(batch, entries, strict=True):
            names = tags.get(article.pk, []), authors.get(article.pk, [])
            documents.append((entry.pk, streams(article, *names)))
            words |= surface_words(article, *names)
        backend().store(documents)
        add_words(words, word_model)
    return len(ids)
