"""Every published article's lead photo joins the library, with its caption,
credit, alt text and focal point (the article keeps its own). A draft's photo
may be embargoed: it joins when its article is published and saved."""

from django.db import migrations
from django.utils import timezone


def lead_photos_into_the_library(apps, schema_editor):
    from photos.renditions import make_renditions

    Article = apps.get_model("articles", "Article")
    Photo = apps.get_model("photos", "Photo")
    in_library = set(Photo.objects.values_list("image", flat=True))
    public = Article.objects.filter(status="published", published_at__lte=timezone.now())
    for article in public.exclude(photo="").iterator():
        if article.photo.name in in_library:
            continue
        in_library.add(article.photo.name)
        Photo.objects.create(
            image=article.photo.name,
            caption=article.photo_caption,
            credit=article.photo_credit,
            alt=article.photo_alt,
            focal_x=article.photo_focal_x,
            focal_y=article.photo_focal_y,
            uploaded_by_id=article.updated_by_id or article.created_by_id,
            uploaded_at=article.created_at,
            renditions=make_renditions(article.photo, article.photo_focal_x, article.photo_focal_y),
        )


class Migration(migrations.Migration):
    dependencies = [("photos", "0001_library"), ("articles", "0004_desk")]

    operations = [migrations.RunPython(lead_photos_into_the_library, migrations.RunPython.noop)]
