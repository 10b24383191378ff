import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import ItemBase

from articles.images import PhotoField
from articles.models import Article, CaseInsensitiveTags, Tag

from .renditions import make_renditions


class TaggedPhoto(ItemBase):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_photos")
    content_object = models.ForeignKey(
        "Photo", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("photo tag")
        verbose_name_plural = _("photo tags")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_tag_per_photo")
        ]


class Photo(models.Model):
    image = PhotoField(_("Photo"), upload_to="library/%Y/%m/")
    caption = models.CharField(_("Caption"), max_length=300, blank=True)
    credit = models.CharField(
        _("Credit"),
        max_length=200,
        blank=True,
        help_text=_("Who took the photo or where it comes from, without “Photo:”."),
    )
    alt = models.CharField(
        _("Alt text"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )
    focal_x = models.PositiveSmallIntegerField(
        _("Focal point, across (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    focal_y = models.PositiveSmallIntegerField(
        _("Focal point, down (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    tags = TaggableManager(
        through=TaggedPhoto, manager=CaseInsensitiveTags, blank=True, verbose_name=_("Tags")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    # Made on save (photos/renditions.py) so a page never reads image files.
    renditions = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        get_latest_by = "uploaded_at"
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        indexes = [models.Index(fields=["-uploaded_at", "-id"], name="photo_newest_idx")]

    def __str__(self):
        return self.caption or self.alt or _("Photo %(number)s") % {"number": self.pk}

    def save(self, *args, **kwargs):
        stored = Photo.objects.filter(pk=self.pk).values("image", "focal_x", "focal_y").first()
        changed = stored != {
            "image": self.image.name,
            "focal_x": self.focal_x,
            "focal_y": self.focal_y,
        }
        if changed or not self.renditions:
            self.renditions = make_renditions(self.image, self.focal_x, self.focal_y)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:photos_photo_change", args=[self.pk])

    @property
    def missing(self):
        """What a page needs and this photo lacks: {field: message}."""
        problems = {}
        if not self.credit.strip():
            problems["credit"] = _("credit")
        if not self.alt.strip():
            problems["alt"] = _("alt text")
        return problems

    @staticmethod
    def url(name):
        return default_storage.url(name)

    @classmethod
    def srcset(cls, renditions):
        return ", ".join(f"{cls.url(name)} {width}w" for width, name in renditions)

    @property
    def picture(self):
        """What a <picture> needs: sources, the fallback and its size; None if unreadable."""
        sources = self.renditions.get("sources")
        if not sources:
            return None
        return {
            "webp_srcset": self.srcset(sources["image/webp"]),
            "srcset": self.srcset(sources["image/jpeg"]),
            "src": self.url(sources["image/jpeg"][-1][1]),
            "width": self.renditions["width"],
            "height": self.renditions["height"],
        }

    @property
    def square(self):
        """The square crop around the focal point, for galleries and the library's grid."""
        crops = self.renditions.get("squares")
        if not crops:
            return None
        return {
            "webp_srcset": self.srcset(crops["image/webp"]),
            "srcset": self.srcset(crops["image/jpeg"]),
            "src": self.url(crops["image/jpeg"][0][1]),
            "size": crops["image/jpeg"][0][0],
        }

    @property
    def thumbnail_url(self):
        crops = self.renditions.get("squares")
        return self.url(crops["image/jpeg"][0][1]) if crops else ""


class PhotoUse(models.Model):
    """A story that shows a library photo in its body."""

    photo = models.ForeignKey(Photo, on_delete=models.PROTECT, related_name="uses")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="photo_uses")

    class Meta:
        verbose_name = _("photo use")
        verbose_name_plural = _("photo uses")
        constraints = [
            models.UniqueConstraint(fields=["photo", "article"], name="one_use_per_article")
        ]

    def __str__(self):
        return f"{self.photo} → {self.article}"


PHOTO_ID = re.compile(r"[0-9]{1,18}")
PHOTO_IDS = re.compile(r'<figure data-(?:photo|gallery)="([0-9 ]+)"')


def photo_ids(body):
    """The library photos a body shows, in order, each once."""
    ids = (int(number) for found in PHOTO_IDS.findall(body or "") for number in found.split())
    return list(dict.fromkeys(ids))


def library_original(value):
    """The original of "library:<id>", for an article's photo
    (articles.images.STORED_PHOTOS): shared, never copied."""
    number = value.removeprefix("library:")
    if not PHOTO_ID.fullmatch(number):
        return None
    return Photo.objects.filter(pk=number).values_list("image", flat=True).first()


def from_lead_photo(article):
    """The library's copy of an article's lead photo: the same original file
    (so the same renditions), with the caption, credit, alt text and focal
    point the article gave it. The article keeps its own."""
    return Photo(
        image=article.photo.name,
        caption=article.photo_caption,
        credit=article.photo_credit,
        alt=article.photo_alt,
        focal_x=article.photo_focal_x,
        focal_y=article.photo_focal_y,
        uploaded_by_id=article.updated_by_id or article.created_by_id,
    )


def record_uses(sender, instance, raw=False, **kwargs):
    """After an article's save: its lead photo joins the library once the
    article is public (a draft's photo may be embargoed), and the library
    photos it shows (lead and body) are recorded as used by it."""
    if raw:  # loaddata: the fixture brings its own uses
        return
    lead = instance.photo
    if lead and instance.is_published and not Photo.objects.filter(image=lead.name).exists():
        from_lead_photo(instance).save()
    shown = models.Q(pk__in=photo_ids(instance.body))
    if lead:
        shown |= models.Q(image=lead.name)
    ids = set(Photo.objects.filter(shown).values_list("pk", flat=True))
    with transaction.atomic():
        PhotoUse.objects.filter(article=instance).exclude(photo__in=ids).delete()
        known = set(instance.photo_uses.values_list("photo_id", flat=True))
        PhotoUse.objects.bulk_create(PhotoUse(photo_id=pk, article=instance) for pk in ids - known)


def photo_touches():
    """A photo's caption, credit, alt text or crop shows on the stories
    that use it (articles/keys.py)."""
    from articles.keys import article_key

    def stories_showing(photo, created=False):
        return {article_key(pk) for pk in photo.uses.values_list("article_id", flat=True)}

    return {Photo: stories_showing}
