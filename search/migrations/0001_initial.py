import django.contrib.postgres.search
import django.db.models.deletion
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# PostgreSQL's indexes (SQLite has no GIN): the two tsvectors, and the words'
# trigrams for "did you mean".
GIN_INDEXES = {
    "entry": [
        GinIndex(fields=["document"], name="search_document_idx"),
        GinIndex(fields=["title"], name="search_title_idx"),
    ],
    "word": [GinIndex(OpClass("word", name="gin_trgm_ops"), name="search_word_trigram_idx")],
}
# SQLite's index: FTS5 over the same terms. No diacritics removed: й is not и.
FTS5_TABLE = (
    "CREATE VIRTUAL TABLE search_text USING fts5"
    "(title, lead, body, tokenize = 'unicode61 remove_diacritics 0')"
)


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, indexes in GIN_INDEXES.items():
            for index in indexes:
                schema_editor.add_index(apps.get_model("search", model), index)
    else:
        schema_editor.execute(FTS5_TABLE)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, indexes in GIN_INDEXES.items():
            for index in indexes:
                schema_editor.remove_index(apps.get_model("search", model), index)
    else:
        schema_editor.execute("DROP TABLE search_text")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0005_search_moved"),
    ]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name="Word",
            fields=[
                ("word", models.CharField(max_length=60, primary_key=True, serialize=False)),
            ],
            options={
                "verbose_name": "published word",
                "verbose_name_plural": "published words",
            },
        ),
        migrations.CreateModel(
            name="Entry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("published_at", models.DateTimeField()),
                ("document", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("title", django.contrib.postgres.search.SearchVectorField(null=True)),
                (
                    "section",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="articles.section",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["-published_at", "-article"], name="search_entry_newest")
                ],
                "verbose_name": "search index entry",
                "verbose_name_plural": "search index entries",
            },
        ),
        migrations.RunPython(add_indexes, remove_indexes),
    ]
