import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

import articles.images
from articles.text import normalize


def fold_tags(apps, schema_editor):
    """One tag per name whatever its case or apostrophe: the oldest tag
    takes the others' articles."""
    Tag = apps.get_model("articles", "Tag")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    kept = {}
    for tag in Tag.objects.order_by("pk"):
        key = normalize(tag.name)[:100]
        if key not in kept:
            kept[key] = tag
            Tag.objects.filter(pk=tag.pk).update(key=key)
            continue
        survivor = kept[key]
        for item in TaggedArticle.objects.filter(tag=tag):
            if TaggedArticle.objects.filter(
                tag=survivor, content_object_id=item.content_object_id
            ).exists():
                item.delete()
            else:
                TaggedArticle.objects.filter(pk=item.pk).update(tag=survivor)
        tag.delete()


def forget_the_times_drafts_were_started(apps, schema_editor):
    """A draft never published got its publication time when its form was
    opened: that was never a choice, so it becomes "when published"."""
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(
        status="draft", first_published_at=None, published_at__lte=timezone.now()
    ).update(published_at=None)


def move_originals(apps, schema_editor):
    """Uploaded originals (photos/, earlier versions' too) leave the public
    media folder for ORIGINALS_ROOT."""
    media, originals = Path(settings.MEDIA_ROOT), Path(settings.ORIGINALS_ROOT)
    for source in sorted((media / "photos").rglob("*")):
        target = originals / source.relative_to(media)
        if source.is_file() and not source.is_symlink() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_section_index_and_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="tag",
            name="key",
            field=models.CharField(default="", editable=False, max_length=100),
            preserve_default=False,
        ),
        migrations.RunPython(fold_tags, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tag",
            name="key",
            field=models.CharField(editable=False, max_length=100, unique=True),
        ),
        migrations.AlterField(
            model_name="article",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Leave it empty to publish at the moment you publish. A time in the "
                "future schedules the article: it appears on the site then.",
                null=True,
                verbose_name="Publication time",
            ),
        ),
        migrations.RunPython(forget_the_times_drafts_were_started, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="article",
            name="photo",
            field=articles.images.PhotoField(
                blank=True,
                storage=articles.images.originals_storage,
                upload_to="photos/%Y/%m/",
                verbose_name="Photo",
            ),
        ),
        migrations.RunPython(move_originals, migrations.RunPython.noop),
    ]
