from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class LoginLockoutsConfig(AxesConfig):
    """django-axes, named in Ukrainian in the admin (it has no name of its own)."""

    verbose_name = _("Login lockouts")
