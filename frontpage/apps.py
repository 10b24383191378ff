from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontpageConfig(AppConfig):
    """The curated front page: the top story and featured places editors
    fill, section pages' top stories, and breaking news."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "frontpage"
    verbose_name = _("Front page and breaking news")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from articles.cache import content_changed
        from articles.keys import ARTICLE_TOUCHES, TOUCHES
        from articles.marks import MARKERS
        from articles.roles import EDITOR, ensure_roles, grant
        from articles.site import SITE_PARTS, UPCOMING_CHANGES

        from .breaking import breaking_mark, frontpage_parts
        from .models import frontpage_touches, in_breaking_news

        # Readers see every change at once, and every expiry when it comes.
        for model in self.get_models():
            name = model._meta.model_name
            post_save.connect(content_changed, sender=model, dispatch_uid=f"{name}-saved")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"{name}-deleted")
        SITE_PARTS.update(frontpage_parts())
        TOUCHES.update(frontpage_touches())
        ARTICLE_TOUCHES.append(in_breaking_news)
        UPCOMING_CHANGES.extend(["place expiry", "breaking end"])
        MARKERS.append(breaking_mark)
        # What leads the site is the editors' choice.
        grant(
            self.label,
            {
                EDITOR: [
                    f"{action}_{model}"
                    for model in ("front", "slot", "breaking")
                    for action in ("add", "change", "delete", "view")
                ]
            },
        )
        post_migrate.connect(ensure_roles, sender=self)
