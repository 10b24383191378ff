"""What search reads: one entry per published article (scheduled ones too;
a search asks for what is out by now), kept current on every save.

The words themselves are indexed per database: on PostgreSQL in the entry's
stored, GIN-indexed tsvectors; on SQLite in the FTS5 table `search_text`
(migration 0001), by article id.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section


class Entry(models.Model):
    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    # Copies of the article's, for the filters and the order of results.
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField()
    # PostgreSQL only: headline, tags and authors (A), lead (B), body (C) ...
    document = SearchVectorField(null=True)
    # ... and the headline, tags and authors alone, for the first results.
    title = SearchVectorField(null=True)

    class Meta:
        indexes = [models.Index(fields=["-published_at", "-article"], name="search_entry_newest")]
        # Named where deleting an article lists what goes with it.
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")

    def __str__(self):
        return str(self.article_id)


class Word(models.Model):
    """Every word the site has published, as search folds it: what "did you
    mean" and the Russian-spelling fallback may suggest."""

    word = models.CharField(max_length=60, primary_key=True)

    class Meta:
        verbose_name = _("published word")
        verbose_name_plural = _("published words")

    def __str__(self):
        return self.word
