from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditingConfig(AppConfig):
    """Editing without losing work: autosaves, held uploads, pending changes
    to live stories, live preview and who else is editing."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "editing"
    verbose_name = _("Editing")
