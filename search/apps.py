from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Site search that knows Ukrainian word forms, on SQLite and PostgreSQL."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from articles.cache import PAGE_PARAMETERS

        from . import signals  # noqa: F401  (keeps the index current)
        from .views import FILTERS

        # The results page's filters are part of its address in the page cache.
        PAGE_PARAMETERS.update(FILTERS)
