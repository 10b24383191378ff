from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmbedsConfig(AppConfig):
    """Posts from Telegram, YouTube, X, Facebook and Instagram in the body,
    shown to readers as a link until they ask for the provider's frame."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "embeds"
    verbose_name = _("Embeds")

    def ready(self):
        from articles.html import register_body_block

        from .blocks import EMBED_BLOCK

        register_body_block(EMBED_BLOCK)
