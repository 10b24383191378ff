from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

# The first site search on PostgreSQL; SQLite had no such index. The search
# app replaced it (migration 0005).
SEARCH_INDEX = GinIndex(
    SearchVector("search_headline", weight="A", config="simple")
    + SearchVector("search_text", weight="B", config="simple"),
    name="article_search_idx",
)


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), SEARCH_INDEX)


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), SEARCH_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["section", "status", "-published_at"], name="article_section_idx"
            ),
        ),
        migrations.RunPython(add_search_index, remove_search_index),
    ]
