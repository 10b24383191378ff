from django.db import migrations


def create_front_page(apps, schema_editor):
    """Editors find the front page ready to curate."""
    apps.get_model("frontpage", "Front").objects.get_or_create(section=None)


class Migration(migrations.Migration):
    dependencies = [("frontpage", "0001_initial")]

    operations = [migrations.RunPython(create_front_page, migrations.RunPython.noop)]
