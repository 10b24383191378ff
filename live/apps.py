from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    """Live coverage: a story whose page runs timestamped updates, newest
    first, that several editors post at once and readers get without a reload."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "live"
    verbose_name = _("Live coverage")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from articles.cache import content_changed
        from articles.keys import TOUCHES
        from articles.marks import LEAD_EXTRAS, MARKERS
        from articles.roles import EDITOR, REPORTER, ensure_roles, grant
        from articles.site import SITE_PARTS, UPCOMING_CHANGES
        from articles.views import DETAIL_RELATED, STORY_FORMATS
        from frontpage.fronts import LEADS

        from . import page
        from .models import LiveCoverage, Update, live_touches, update_changed

        # Switching a page live, or ending it, changes lists and the front
        # page: a new generation. An update changes only the pages showing
        # its live page (articles/cache.py's page_uses).
        post_save.connect(content_changed, sender=LiveCoverage, dispatch_uid="coverage-saved")
        post_delete.connect(content_changed, sender=LiveCoverage, dispatch_uid="coverage-deleted")
        post_save.connect(update_changed, sender=Update, dispatch_uid="update-saved")
        post_delete.connect(update_changed, sender=Update, dispatch_uid="update-deleted")
        TOUCHES.update(live_touches())
        SITE_PARTS.update(page.live_parts())
        UPCOMING_CHANGES.append("live end")
        MARKERS.append(page.live_mark)
        LEAD_EXTRAS.append(page.latest_updates)
        LEADS.append(page.leading)
        DETAIL_RELATED.append("live")
        STORY_FORMATS.append(page.live_page)
        # Reporters post updates for an editor to approve; editors publish them.
        grant(
            self.label,
            {
                REPORTER: ["add_update", "change_update", "view_update", "view_livecoverage"],
                EDITOR: [
                    *(
                        f"{action}_{model}"
                        for model in ("update", "livecoverage")
                        for action in ("add", "change", "delete", "view")
                    ),
                    "publish_update",
                ],
            },
        )
        post_migrate.connect(ensure_roles, sender=self)
