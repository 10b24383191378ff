from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _

# The models whose changes readers see (see articles/cache.py).
READER_MODELS = ["Article", "Section", "Author", "Tag", "TaggedArticle", "Byline", "ArticleNote"]


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("Newsroom")

    def ready(self):
        from .cache import content_changed
        from .keys import TOUCHES, articles_touches
        from .roles import ensure_roles
        from .site import SITE_PARTS, UPCOMING_CHANGES, articles_parts

        # After every migrate, once the permissions exist.
        post_migrate.connect(ensure_roles, sender=self)
        # Anything readers see changed: every cached copy is stale.
        for name in READER_MODELS:
            model = self.get_model(name)
            post_save.connect(content_changed, sender=model, dispatch_uid=f"{name}-saved")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"{name}-deleted")
        SITE_PARTS.update(articles_parts())
        TOUCHES.update(articles_touches())
        UPCOMING_CHANGES.append("next publication")
