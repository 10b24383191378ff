from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.keys import FRONT, SITE, section_key
from articles.models import Article, Section


class Front(models.Model):
    """A page whose top of the list editors choose: the front page (no
    section) or a section's page."""

    section = models.OneToOneField(
        Section,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="front",
        verbose_name=_("section"),
        error_messages={"unique": _("This section's page is already curated.")},
    )
    featured_count = models.PositiveSmallIntegerField(
        _("featured stories"),
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(4)],
        help_text=_("How many stories the row under the top story shows (2 to 4)."),
    )

    class Meta:
        ordering = [models.F("section__position").asc(nulls_first=True), "section__name"]
        verbose_name = _("curated page")
        verbose_name_plural = _("curated pages")
        constraints = [
            # NULL sections are not equal to one another: one front page.
            models.UniqueConstraint(
                Coalesce("section", 0),
                name="one_curation_per_page",
                violation_error_message=_("This page is already curated."),
            ),
        ]

    def __str__(self):
        if self.section_id is None:
            return str(_("Front page"))
        return _("Section “%(section)s”") % {"section": self.section}

    def get_absolute_url(self):
        return self.section.get_absolute_url() if self.section_id else reverse("frontpage:front")


def not_over(now=None):
    """Places whose time has not run out (one without an end never does)."""
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now or timezone.now())


def story_published():
    """The row's story is published: looked up by its key for each row (as
    an IN over every published story, SQLite read them all first)."""
    return Exists(Article.objects.published().filter(pk=OuterRef("article_id")))


class SlotQuerySet(models.QuerySet):
    def showing(self, now=None):
        """Slots readers see now: not over, holding a published story."""
        return self.filter(not_over(now), story_published())


class Slot(models.Model):
    class Kind(models.TextChoices):
        TOP = "top", _("Top story")
        FEATURED = "featured", _("Featured")

    front = models.ForeignKey(
        Front, on_delete=models.CASCADE, related_name="slots", verbose_name=_("page")
    )
    kind = models.CharField(_("place"), max_length=10, choices=Kind.choices, default=Kind.TOP)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    expires_at = models.DateTimeField(
        _("show until"),
        null=True,
        blank=True,
        help_text=_(
            "After this time the place goes to the newest story by itself. "
            "Empty: until you change it."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, validators=[MaxValueValidator(999)]
    )

    objects = SlotQuerySet.as_manager()

    # One top story per page and one place per story are the page form's
    # rules (frontpage/admin.py), not constraints: a form that swaps two
    # places' stories saves one row at a time, breaking them in between.
    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("place on the page")
        verbose_name_plural = _("places on the page")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article}"


class BreakingQuerySet(models.QuerySet):
    def on(self, now=None):
        """Breaking news readers see now: its time not over, its story published."""
        return self.filter(story_published(), ends_at__gt=now or timezone.now())


class Breaking(models.Model):
    """A story marked "Терміново" until a set time: a banner on every page
    links to it, and lists and feeds mark it."""

    # A story may be breaking again another day: each time is a mark of its own.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="breaking_marks", verbose_name=_("article")
    )
    started_at = models.DateTimeField(_("marked at"), default=timezone.now, editable=False)
    ends_at = models.DateTimeField(
        _("breaking until"), help_text=_("The banner and the mark disappear at this time.")
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("marked by"),
    )

    objects = BreakingQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = "started_at"
        verbose_name = _("breaking news")
        verbose_name_plural = pgettext_lazy("plural", "breaking news")

    def __str__(self):
        return str(self.article)

    @property
    def is_on(self):
        return self.ends_at > timezone.now() and self.article.is_published


def frontpage_touches():
    """What a change here purges (articles/keys.py): a front page's place
    changes its page; breaking news is on every page."""

    def front_changed(front, created=False):
        return {section_key(front.section_id)} if front.section_id else {FRONT}

    def slot_changed(slot, created=False):
        # Its page may be going too (a cascade): then it is gone already.
        front = Front.objects.filter(pk=slot.front_id).first()
        return front_changed(front) if front else {FRONT}

    return {
        Front: front_changed,
        Slot: slot_changed,
        Breaking: lambda mark, created=False: {SITE},
    }


def in_breaking_news(article):
    """A story in the banner is on every page: a change to it purges all."""
    marked = Breaking.objects.filter(article_id=article.pk, ends_at__gt=timezone.now())
    return {SITE} if marked.exists() else set()
