from django.db import migrations


def index_articles(apps, schema_editor):
    from search.index import rebuild

    rebuild(
        *(
            apps.get_model(*name.split("."))
            for name in (
                "articles.Article",
                "search.Entry",
                "search.Word",
                "articles.TaggedArticle",
                "articles.Byline",
            )
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(index_articles, migrations.RunPython.noop),
    ]
