from importlib import import_module

from django.db import migrations

# The first search's columns and index; the search app indexes articles now.
first_search = import_module("articles.migrations.0002_section_index_and_search_index")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_desk"),
    ]

    operations = [
        migrations.RunPython(first_search.remove_search_index, first_search.add_search_index),
        migrations.RemoveField(model_name="article", name="search_headline"),
        migrations.RemoveField(model_name="article", name="search_text"),
    ]
