from django.conf import settings
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from articles.models import Article

# Fields a submitted form carries that are not the article's content.
NOT_CONTENT = {
    "csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_save_pending", "autosave",
}  # fmt: skip


def form_data(post):
    """What an editor typed, as JSON can keep it: every field's values in
    order (NUL characters, which no field accepts and PostgreSQL refuses,
    dropped)."""
    return {
        name.replace("\x00", ""): [value.replace("\x00", "") for value in values]
        for name, values in post.lists()
        if name not in NOT_CONTENT
    }


def as_post(data):
    """Kept fields as a submitted form's data again."""
    post = QueryDict(mutable=True)
    for name, values in data.items():
        post.setlist(name, values)
    return post


class FormCopy(models.Model):
    """An article form's fields as a browser submitted them, to fill the form
    again later: never the article itself, never a version in its history."""

    data = models.JSONField(default=dict)

    class Meta:
        abstract = True

    def as_post(self):
        return as_post(self.data)


class Autosave(FormCopy):
    """The latest unsaved state of one form a user opened: of an article, or
    of a new one (article empty). Each opened form has its own key, so two
    tabs, or a form and the copy it offers back, never overwrite each other."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=40)
    saved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("autosave")
        verbose_name_plural = _("autosaves")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_autosave_per_form"),
        ]
        indexes = [models.Index(fields=["saved_at"], name="autosave_age_idx")]

    def __str__(self):
        return f"{self.user}: {self.article or self.key}"


class PendingChange(FormCopy):
    """A prepared change to a published article: readers see the article as
    it is until an editor publishes the change."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="pending_changes")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("prepared change")
        verbose_name_plural = _("prepared changes")

    def __str__(self):
        return str(self.article)


class Presence(models.Model):
    """Who has an article's form open, and which of them holds it for editing
    (as WordPress's post lock: the others are told, and may take it over)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField()
    seen_at = models.DateTimeField()
    editing = models.BooleanField(default=False)
    # Who took the article over from this user, until they hold it again.
    taken_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("open form")
        verbose_name_plural = _("open forms")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_presence_per_user"),
        ]

    def __str__(self):
        return f"{self.user}: {self.article}"
