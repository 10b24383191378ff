from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    """Running beyond one machine: purging the cache in front of the app
    servers (Varnish) through an outbox, and announcing scheduled stories
    exactly once."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "delivery"
    verbose_name = _("Delivery")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from articles.keys import TOUCHES

        from .outbox import record_purge

        # After the apps that fill TOUCHES (INSTALLED_APPS order).
        for model in TOUCHES:
            name = model._meta.label_lower
            post_save.connect(record_purge, sender=model, dispatch_uid=f"purge-{name}-saved")
            post_delete.connect(record_purge, sender=model, dispatch_uid=f"purge-{name}-deleted")
