from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class Purge(models.Model):
    """Surrogate keys to purge from the cache in front (articles/keys.py),
    written in the same transaction as the change that touched them and
    sent by the `deliver` worker: never lost, never before the commit."""

    # One row for each cache (settings.PURGE_URLS): one that is down holds
    # back none of the others.
    target = models.CharField(_("cache"), max_length=200)
    keys = models.TextField(_("keys"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("purge")
        verbose_name_plural = _("purges")
        indexes = [models.Index(fields=["target", "id"], name="purge_target_idx")]

    def __str__(self):
        return self.keys


class Announcement(models.Model):
    """A story came out: once for each publication time, however many
    workers watch the clock (delivery/scheduler.py)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    published_at = models.DateTimeField(_("published"))
    announced_at = models.DateTimeField(_("announced"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "published_at"], name="one_announcement_per_publication"
            )
        ]

    def __str__(self):
        return f"{self.article_id} @ {self.published_at:%Y-%m-%d %H:%M}"
