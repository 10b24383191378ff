"""The desk's records about an article. None of them is content: they are
not in the article's reversion history nor on the public site."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.models import Article

# The fields a comment can point at ("Лід: …").
COMMENTED_FIELDS = ["headline", "lead", "body", "photo", "section", "tags", "slug"]


def person(verbose_name=""):
    """A user a record names; the record stays when the account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


def reporters_stories(user, via=""):
    """The articles a reporter may open: those they wrote and those assigned
    to them (`via`: the path to the article, as "article__")."""
    return Q(**{f"{via}created_by": user}) | Q(**{f"{via}assignment__reporter": user})


def field_choices():
    return [(name, Article._meta.get_field(name).verbose_name) for name in COMMENTED_FIELDS]


class Assignment(models.Model):
    """Who the article is assigned to: the editor who reviews it, the
    reporter who writes it. Either sees it on their dashboard."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="assignment"
    )
    editor = person(_("editor"))
    reporter = person(_("reporter"))

    class Meta:
        ordering = ["-article"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return str(self.article)


class EditorialComment(models.Model):
    """A note between reporter and editor about an article, kept with it and
    never shown to readers. Replies hang under the comment they answer."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="editorial_comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = person(_("author"))
    field = models.CharField(_("about"), max_length=30, blank=True, choices=field_choices)
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = person(_("resolved by"))

    class Meta:
        ordering = ["created_at", "pk"]
        get_latest_by = "created_at"
        verbose_name = _("editorial comment")
        verbose_name_plural = _("editorial comments")

    def __str__(self):
        if self.field:
            return f"{self.get_field_display()}: {self.text[:60]}"
        return self.text[:60]


class Notification(models.Model):
    """Something on the desk that concerns a user: a comment, a story sent
    for review, sent back, approved or assigned to them."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("comment")
        SUBMITTED = "submitted", _("sent for review")
        CHANGES_REQUESTED = "changes_requested", _("sent back for changes")
        APPROVED = "approved", _("approved")
        ASSIGNED = "assigned", _("assigned to you")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="desk_notifications",
        verbose_name=_("for"),
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = person(_("from"))
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="unread_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article}"
