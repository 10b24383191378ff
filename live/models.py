import reversion
from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from articles.cache import part_changed
from articles.html import SanitizedHTMLField
from articles.keys import article_touches
from articles.models import Article


def live_key(article_pk):
    """The surrogate key of what shows a live page's updates: its page, its
    feeds, its "what's new" answers and the front page while it leads it
    (articles/keys.py)."""
    return f"l{article_pk}"


def live_part(article_pk):
    """The part of a page a live page's updates are (articles/cache.py's page_uses)."""
    return f"live:{article_pk}"


class LiveCoverage(models.Model):
    """The switch that makes a story a live page, and its end."""

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="live",
        verbose_name=_("article"),
    )
    is_live = models.BooleanField(
        _("Live page"),
        default=False,
        help_text=_("The story's page runs timestamped updates, newest first."),
    )
    started_at = models.DateTimeField(
        _("coverage started"), default=timezone.now, help_text=_("When the live coverage began.")
    )
    ended_at = models.DateTimeField(
        _("ended"),
        null=True,
        blank=True,
        help_text=_(
            "When the coverage ended (“завершено”): the page then stops updating. "
            "Empty while it goes on."
        ),
    )
    leads_front = models.BooleanField(
        _("leads the front page"),
        default=True,
        help_text=_("While it goes on, the live page takes the front page's top place."),
    )

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        verbose_name = _("live coverage")
        verbose_name_plural = _("live coverage")

    def __str__(self):
        return str(self.article)

    def get_absolute_url(self):
        return self.article.get_absolute_url()

    def is_on(self, now=None):
        return self.is_live and (self.ended_at is None or self.ended_at > (now or timezone.now()))


class UpdateQuerySet(models.QuerySet):
    def published(self):
        """The updates readers see: approved, on a published story."""
        return self.filter(
            status=Update.Status.PUBLISHED,
            posted_at__lte=timezone.now(),
            article__in=Article.objects.published(),
        )

    def newest_first(self):
        return self.order_by("-posted_at", "-pk")


# What readers see of an update, besides its time: a change is an edit.
READERS_SEE = ("title", "body", "is_key_event")


@reversion.register()
class Update(models.Model):
    """One timestamped entry of a live page: each is its own save, so
    editors posting at once never overwrite each other."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Waiting for approval")
        PUBLISHED = "published", _("Published")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="live_updates", verbose_name=_("article")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = SanitizedHTMLField(_("text"))
    is_key_event = models.BooleanField(
        _("key event"), default=False, help_text=_("Listed at the top of the page, as a link.")
    )
    is_pinned = models.BooleanField(
        _("pinned"),
        default=False,
        help_text=_("Shown above the others; pinning it unpins the page's other update."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED
    )
    # The time readers see: when it was published.
    posted_at = models.DateTimeField(_("time"), null=True, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Saved again once readers had it: open pages replace their copy.
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)

    objects = UpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-pk"]
        get_latest_by = "posted_at"
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")
        indexes = [
            models.Index(fields=["article", "status", "-posted_at"], name="live_update_page_idx")
        ]
        permissions = [("publish_update", _("Can publish live updates"))]

    def __str__(self):
        return self.title or self.body_text()[:80] or str(_("Update"))

    def save(self, *args, **kwargs):
        if self.is_published and self.posted_at is None:
            self.posted_at = timezone.now()  # published now: on top of the page
        if self.is_published and self.is_edited_for_readers():
            self.edited_at = timezone.now()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if self.is_pinned and self.is_published:
                # Readers see one pinned update: the last one published.
                self.article.live_updates.filter(is_pinned=True).exclude(pk=self.pk).update(
                    is_pinned=False
                )
        self._stored = {
            field.attname: self.__dict__[field.attname]
            for field in self._meta.concrete_fields
            if field.attname in self.__dict__
        }

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#update-{self.pk}"

    def admin_url(self):
        return reverse("admin:live_update_change", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        update = super().from_db(db, field_names, values)
        update._stored = dict(zip(field_names, values, strict=True))
        return update

    def is_edited_for_readers(self):
        """Saved again, once readers had it, with what they see changed."""
        stored = getattr(self, "_stored", None)
        if self._state.adding or stored is None:
            return False
        return stored.get("status") == self.Status.PUBLISHED and any(
            stored.get(name, getattr(self, name)) != getattr(self, name) for name in READERS_SEE
        )

    def body_text(self):
        return " ".join(strip_tags(self.body).split())

    @property
    def signature(self):
        """Who wrote it, for readers: their byline's name, else their own."""
        if self.author is None:
            return ""
        byline = getattr(self.author, "author", None)
        return (
            byline.name if byline else (self.author.get_full_name() or self.author.get_username())
        )

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


def update_changed(sender, instance, raw=False, **kwargs):
    """Only the pages showing the live page are stale (articles/cache.py)."""
    if not raw:
        part_changed(live_part(instance.article_id))


def live_touches():
    """What a change here purges from the cache in front (articles/keys.py):
    an update, only what shows its live page; the switch, the story's page
    and lists too."""
    return {
        Update: lambda update, created=False: {live_key(update.article_id)},
        LiveCoverage: lambda coverage, created=False: (
            article_touches(coverage.article) | {live_key(coverage.article_id)}
        ),
    }
