from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The editorial desk: review workflow, assignments, editorial comments,
    notifications and the dashboard on the admin's front page."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "desk"
    verbose_name = _("Desk")
