import re

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, validate_slug
from django.db import models, transaction
from django.db.models.signals import pre_save
from django.dispatch import Signal, receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import ItemBase, TagBase

from .html import SanitizedHTMLField
from .images import PhotoField, make_renditions
from .keys import article_key, page_shows
from .text import SLUG_MAX_LENGTH, normalize, slugify_uk, teaser


def unique_slug(instance, text, fallback):
    """A slug made from `text`, numbered when another object already has it
    (or, for an article, when it is another article's old address)."""
    base = slugify_uk(text) or fallback
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    reserved = getattr(instance, "reserved_slugs", lambda prefix: set())
    if not others.filter(slug=base).exists() and base not in reserved(base):
        return base
    # Taken: every numbered form is read at once, not one query a number
    # (the prefix is what the longest suffix, "-9999999", leaves of it).
    prefix = base[: SLUG_MAX_LENGTH - 8]
    taken = set(others.filter(slug__startswith=prefix).values_list("slug", flat=True))
    taken |= reserved(prefix)
    slug, number = base, 2
    while slug in taken:
        suffix = f"-{number}"
        slug = base[: SLUG_MAX_LENGTH - len(suffix)] + suffix
        number += 1
    return slug


class SluggedModel(models.Model):
    """A named object whose slug, left empty, is made from its name."""

    slug_source = "name"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, getattr(self, self.slug_source), self._meta.model_name)
        super().save(*args, **kwargs)


# How many of the latest articles sharing a tag are weighed for "related".
RELATED_WINDOW = 200
RELATED_SQL = """
SELECT a.id, a.headline, a.slug, a.published_at, COUNT(*) AS shared_tags
FROM {article} a JOIN {tagged} t ON t.content_object_id = a.id
WHERE a.id IN (
    SELECT a2.id FROM {article} a2 JOIN {tagged} t2 ON t2.content_object_id = a2.id
    WHERE a2.status = %s AND a2.published_at <= %s AND t2.tag_id IN ({tags}) AND a2.id <> %s
    ORDER BY a2.published_at DESC LIMIT %s
) AND t.tag_id IN ({tags})
GROUP BY a.id, a.headline, a.slug, a.published_at
ORDER BY shared_tags DESC, a.published_at DESC LIMIT %s
"""

SLUG_HELP = _("The last part of the address. Leave it empty to make it from the name.")


class Section(SluggedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, blank=True, help_text=SLUG_HELP)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed in this order.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Author(SluggedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True, help_text=SLUG_HELP)
    bio = models.TextField(_("biography"), blank=True)
    # The account that writes under this byline: its new articles carry it.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        verbose_name=_("user account"),
        help_text=_("The newsroom account that writes under this name."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


# Sent when Tag.merge has moved other tags' articles to `tag`.
tags_merged = Signal()


@reversion.register()
class Tag(TagBase):
    """A tag whose slug is transliterated, so tag URLs stay readable Latin.
    Names differing only in case or apostrophe are one tag (see `key`)."""

    # The name as tags compare it: "Зеленський" and "зеленський" are one
    # key, so one tag. Folded in Python: SQLite's own folding is ASCII only.
    key = models.CharField(max_length=100, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def clean(self):
        if Tag.objects.exclude(pk=self.pk).filter(key=tag_key(self.name)).exists():
            raise ValidationError(
                {"name": _("This tag already exists, written differently; use that one.")}
            )

    def slugify(self, tag, i=None):
        slug = slugify_uk(tag) or "tag"
        return f"{slug}-{i}" if i is not None else slug

    def save(self, *args, **kwargs):
        previous = Tag.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        super().save(*args, **kwargs)
        if previous and previous != self.slug:
            self.keep_old_address(previous)

    def keep_old_address(self, old_slug):
        """A renamed tag's old page keeps answering, with a 301 to the new one."""
        TagRedirect.objects.filter(old_slug=self.slug).delete()  # its own old address, taken back
        TagRedirect.objects.update_or_create(old_slug=old_slug, defaults={"tag": self})

    @transaction.atomic
    def merge(self, others):
        """Move the articles of `others` to this tag, delete them, and send
        their pages here. An article that had both keeps this tag once."""
        others = [tag for tag in others if tag.pk != self.pk]
        for other in others:
            TaggedArticle.objects.filter(tag=other).exclude(
                content_object__in=TaggedArticle.objects.filter(tag=self).values("content_object")
            ).update(tag=self)
            TagRedirect.objects.filter(tag=other).update(tag=self)
            old_slug = other.slug
            other.delete()
            self.keep_old_address(old_slug)
        # The articles were moved in bulk, which sends no signal of its own.
        tags_merged.send(sender=Tag, tag=self)

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class TagRedirect(models.Model):
    """An address a tag had before it was renamed or merged into another."""

    old_slug = models.SlugField(_("old slug"), max_length=100, unique=True)
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="old_slugs", verbose_name=_("tag")
    )

    class Meta:
        verbose_name = _("old tag address")
        verbose_name_plural = _("old tag addresses")

    def __str__(self):
        return self.old_slug


def tag_key(name):
    return normalize(name)[: Tag._meta.get_field("key").max_length]


class CaseInsensitiveTags(_TaggableManager):
    """Tags given by name become the existing tag of the same key, so an
    editor typing "зеленський" tags the story with "Зеленський"."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        names = [tag for tag in tags if isinstance(tag, str)]
        existing = Tag.objects.in_bulk({tag_key(name) for name in names}, field_name="key")
        resolved = []
        for tag in tags:
            if isinstance(tag, str):
                key = tag_key(tag)
                if key not in existing:
                    existing[key] = Tag.objects.get_or_create(key=key, defaults={"name": tag})[0]
                tag = existing[key]
            resolved.append(tag)
        return super()._to_tag_model_instances(resolved, tag_kwargs)


@reversion.register(follow=["tag"])
class TaggedArticle(ItemBase):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    # The natural key dumpdata --natural-primary writes: one tag per article.
    natural_key_fields = ["content_object_id", "tag_id"]

    class Meta:
        verbose_name = _("article tag")
        verbose_name_plural = _("article tags")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_tag_per_article")
        ]


def can_publish(user):
    return user.has_perm("articles.publish_article")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of what the public may see."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Published at a time still to come: not on the site yet."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def visible_to(self, user):
        """What a user may open on the site: editors preview everything, a
        reporter their own articles too, everyone else what is published."""
        if can_publish(user):
            return self.all()
        if user.has_perm("articles.change_article"):
            return self.filter(
                models.Q(pk__in=self.published().values("pk")) | models.Q(created_by=user)
            )
        return self.published()


@reversion.register(follow=["bylines", "tagged_items", "notes"])
class Article(models.Model):
    class Status(models.TextChoices):
        # The desk's order: a reporter writes, sends for review, an editor
        # sends back or approves, then publishes (now or at a set time).
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Ready for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    # What a reporter may still change: everything before an editor approved it.
    REPORTER_EDITABLE = {Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED}

    TEASER_LENGTH = 160
    # What save() compares with the stored article to see what changed.
    TRACKED_FIELDS = (
        "headline", "slug", "status", "first_published_at",
        "photo", "photo_focal_x", "photo_focal_y",
    )  # fmt: skip
    HEADLINE_LIMIT = 110  # Google shows at most this much of a news headline
    LEAD_LIMIT = 300

    headline = models.CharField(_("Headline"), max_length=255)
    slug = models.SlugField(
        _("Slug"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        help_text=_(
            "The last part of the article's address. Leave it empty to make it "
            "from the headline. It stops following the headline once the article "
            "is published; if you change it then, the old address redirects here."
        ),
    )
    lead = models.TextField(_("Lead"), help_text=_("One or two sentences under the headline."))
    body = SanitizedHTMLField(_("Body"))
    photo = PhotoField(_("Photo"), upload_to="photos/%Y/%m/", blank=True)
    photo_caption = models.CharField(_("Photo caption"), max_length=300, blank=True)
    photo_credit = models.CharField(
        _("Photo credit"),
        max_length=200,
        blank=True,
        help_text=_("Who took the photo or where it comes from, without “Photo:”."),
    )
    photo_alt = models.CharField(
        _("Photo alt text"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for readers who cannot see it."),
    )
    photo_focal_x = models.PositiveSmallIntegerField(
        _("Focal point, across (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("Where the most important part of the photo is, from the left edge."),
    )
    photo_focal_y = models.PositiveSmallIntegerField(
        _("Focal point, down (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("Where the most important part of the photo is, from the top edge."),
    )
    # Made on save (see images.make_renditions) so a page never reads image files.
    photo_renditions = models.JSONField(default=dict, blank=True, editable=False)
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("Section"),
    )
    authors = models.ManyToManyField(
        Author,
        through="Byline",
        blank=True,
        related_name="articles",
        verbose_name=_("Authors"),
    )
    tags = TaggableManager(
        through=TaggedArticle, manager=CaseInsensitiveTags, blank=True, verbose_name=_("Tags")
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("Publication time"),
        null=True,
        blank=True,
        help_text=_(
            "Leave it empty to publish at the moment you publish. A time in the "
            "future schedules the article: it appears on the site then."
        ),
    )
    first_published_at = models.DateTimeField(
        _("first published"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("last edited by"),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_idx"),
            # The desk's lists (desk/dashboard.py).
            models.Index(fields=["status", "updated_at"], name="article_desk_idx"),
            models.Index(fields=["created_by", "status", "-updated_at"], name="article_mine_idx"),
            models.Index(fields=["-updated_at"], name="article_edited_idx"),
        ]
        permissions = [("publish_article", _("Can publish and unpublish articles"))]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        previous = Article.objects.filter(pk=self.pk).values(*self.TRACKED_FIELDS).first()
        if not self.slug or self.slug_follows_headline(previous):
            self.slug = unique_slug(self, self.headline, "article")
        self.keep_first_publication()
        if self.photo_changed(previous):
            self.photo_renditions = (
                make_renditions(self.photo, self.photo_focal_x, self.photo_focal_y)
                if self.photo
                else {}
            )
        super().save(*args, **kwargs)
        if previous and previous["slug"] != self.slug:
            self.keep_old_address(previous)

    def get_absolute_url(self):
        # Every page that shows a story links to it: the page is purged
        # when the story changes (articles/keys.py).
        page_shows(article_key(self.pk))
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def publish(self):
        """Mark the article published. Its first publication happens now,
        unless a later time is set (it is then scheduled): the time the form
        opened, or a draft was started, is never the publication time."""
        now = timezone.now()
        if self.never_public() and (self.published_at is None or self.published_at < now):
            self.published_at = now
        self.status = self.Status.PUBLISHED

    def never_public(self):
        return self.first_published_at is None or self.first_published_at > timezone.now()

    def keep_first_publication(self):
        """first_published_at is when readers could first see the article; a
        schedule withdrawn before its time leaves it unpublished."""
        if self.status == self.Status.PUBLISHED:
            if self.published_at is None:
                self.published_at = timezone.now()
            if self.never_public():
                self.first_published_at = self.published_at
        elif self.never_public():
            self.first_published_at = None

    def clean(self):
        problems = self.photo_problems()
        if self.slug and self.slug_is_reserved(self.slug):
            problems["slug"] = _(
                "This address belonged to another article and still leads to it; choose another."
            )
        if problems:
            raise ValidationError(problems)

    def slug_is_reserved(self, slug):
        """Another article's old address: taking it would break its redirect."""
        return slug in self.reserved_slugs(slug)

    def reserved_slugs(self, prefix):
        """Other articles' old addresses beginning with `prefix`."""
        others = SlugRedirect.objects.filter(old_slug__startswith=prefix)
        return set(others.exclude(article_id=self.pk).values_list("old_slug", flat=True))

    def photo_problems(self):
        """A photo must be credited and described, whatever the article's status."""
        problems = {}
        if self.photo and not self.photo_credit.strip():
            problems["photo_credit"] = _("Credit the photo: our photo desk always does.")
        if self.photo and not self.photo_alt.strip():
            problems["photo_alt"] = _("Describe the photo for readers who cannot see it.")
        return problems

    @staticmethod
    def was_published(previous):
        return (
            previous["first_published_at"] is not None
            or previous["status"] == Article.Status.PUBLISHED
        )

    def slug_follows_headline(self, previous):
        """Until first publication, a slug the editor did not write follows the headline."""
        if previous is None or self.was_published(previous) or self.slug != previous["slug"]:
            return False
        made_from_headline = re.escape(slugify_uk(previous["headline"])) + r"(-\d+)?"
        return re.fullmatch(made_from_headline, previous["slug"]) is not None

    def photo_changed(self, previous):
        if previous is None:
            return bool(self.photo)
        return (
            (self.photo.name or "") != previous["photo"]
            or (self.photo_focal_x, self.photo_focal_y)
            != (previous["photo_focal_x"], previous["photo_focal_y"])
            or (bool(self.photo) and not self.photo_renditions)
        )

    def keep_old_address(self, previous):
        """A published article's old address keeps answering, with a 301 to the new one."""
        self.old_slugs.filter(old_slug=self.slug).delete()  # its own old address, taken back
        if self.was_published(previous):
            SlugRedirect.objects.update_or_create(
                old_slug=previous["slug"], defaults={"article": self}
            )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def state_label(self):
        """The article's state as the desk says it: "Заплановано на 27
        листопада, 09:00", "Знято з публікації", or its status."""
        if self.is_scheduled:
            when = date_format(timezone.localtime(self.published_at), "j E, H:i")
            return _("Scheduled for %(time)s") % {"time": when}
        if self.status == self.Status.DRAFT and self.first_published_at is not None:
            return _("Unpublished")
        return self.get_status_display()

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def teaser(self, limit=TEASER_LENGTH):
        """The lead cut at a word boundary, then "…" unless it ends a
        sentence: the article goes on past its lead (a body is required)."""
        return teaser(self.lead, limit)

    def ordered_authors(self):
        return [byline.author for byline in self.bylines.all()]

    def related(self, count=4):
        """Published articles sharing the most tags with this one, newest
        first, among the latest RELATED_WINDOW that share any: a tag on
        thousands of stories must not make every page count them all.
        Written in SQL: the ORM took twice as long to build the query as
        the database to run it."""
        shared_tags = [tag.pk for tag in self.tags.all()]  # read with the article
        if not shared_tags:
            return []
        tags = ", ".join(["%s"] * len(shared_tags))
        sql = RELATED_SQL.format(
            article=Article._meta.db_table, tagged=TaggedArticle._meta.db_table, tags=tags
        )
        params = [Article.Status.PUBLISHED, timezone.now(), *shared_tags, self.pk]
        return list(Article.objects.raw(sql, [*params, RELATED_WINDOW, *shared_tags, count]))

    @property
    def revised_at(self):
        """The public "Оновлено" time: the latest correction or major update.
        A minor edit (a typo fixed) leaves it alone."""
        times = [note.noted_at for note in self.notes.all() if note.moves_revised_time]
        return max(times, default=None)

    @property
    def hero_image(self):
        """The photo's renditions as <picture> needs them, or None."""
        renditions = self.photo_renditions
        if not renditions.get("sources"):
            return None

        def srcset(sources):
            return ", ".join(f"{default_storage.url(name)} {width}w" for width, name in sources)

        jpeg = renditions["sources"]["image/jpeg"]
        return {
            "webp_srcset": srcset(renditions["sources"]["image/webp"]),
            "srcset": srcset(jpeg),
            "src": default_storage.url(jpeg[-1][1]),
            "width": renditions["width"],
            "height": renditions["height"],
        }

    def publication_problems(self, tag_names):
        """The pre-publish checklist: {field: what to fix}, empty when ready."""
        problems = {}
        if len(self.headline) > self.HEADLINE_LIMIT:
            problems["headline"] = _(
                "Shorten the headline to %(limit)d characters; it has %(length)d."
            ) % {"limit": self.HEADLINE_LIMIT, "length": len(self.headline)}
        if not self.lead.strip():
            problems["lead"] = _("Write a lead.")
        elif len(self.lead) > self.LEAD_LIMIT:
            problems["lead"] = _("Shorten the lead to %(limit)d characters; it has %(length)d.") % {
                "limit": self.LEAD_LIMIT,
                "length": len(self.lead),
            }
        if self.section_id is None:
            problems["section"] = _("Choose a section.")
        if not tag_names:
            problems["tags"] = _("Add at least one tag.")
        problems.update(self.photo_problems())
        if self.slug:
            try:
                validate_slug(self.slug)
            except ValidationError:
                problems["slug"] = _("The address may only have Latin letters, digits and hyphens.")
        return problems


class SlugRedirect(models.Model):
    """An address a published article had before its slug was changed."""

    old_slug = models.SlugField(_("old slug"), max_length=SLUG_MAX_LENGTH, unique=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="old_slugs", verbose_name=_("article")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")

    def __str__(self):
        return self.old_slug


@reversion.register()
class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="bylines", verbose_name=_("author")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_author_per_article")
        ]

    def __str__(self):
        return str(self.author)


# Signals rather than save(): loaddata's raw saves send them too.


@receiver(pre_save, sender=Tag)
def keep_tag_key_current(sender, instance, **kwargs):
    instance.key = tag_key(instance.name)


@reversion.register()
class ArticleNote(models.Model):
    """A note for readers about a change to a published article."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CLARIFICATION = "clarification", _("Clarification")
        UPDATE = "update", _("Update")

    # Readers are told the article changed: its "Оновлено" time moves.
    REVISING_KINDS = {Kind.CORRECTION, Kind.UPDATE}

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"), help_text=_("What was changed and why, for readers."))
    noted_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["noted_at", "pk"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")

    def __str__(self):
        # The admin's history builds its messages with translation switched
        # off (get_language() is None): the note still names its kind in the
        # site's language there, "Виправлення: …", not "Correction: …".
        with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
            return f"{self.get_kind_display()}: {self.text[:50]}"

    @property
    def moves_revised_time(self):
        return self.kind in self.REVISING_KINDS
