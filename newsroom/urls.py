from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from embeds.views import check as embed_check

from . import errors, media
from .admin_titles import title_other_apps

# The site's one name (settings.SITE_NAME), in the admin too, read when shown.
admin.site.site_header = admin.site.site_title = lazy(lambda: settings.SITE_NAME, str)()
admin.site.index_title = _("The desk")
title_other_apps(admin.site)


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static_url("favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view()),
    path("health/", errors.ready, name="health"),
    path("health/alive/", errors.alive, name="health-alive"),
    path("health/ready/", errors.ready, name="health-ready"),
    path(f"{settings.MEDIA_URL.lstrip('/')}<path:path>", media.rendition, name="rendition"),
    path(f"{settings.ADMIN_URL}originals/<path:path>", media.original, name="photo-original"),
    path(f"{settings.ADMIN_URL}embeds/check/", embed_check, name="embed-check"),
    path(settings.ADMIN_URL, admin.site.urls),
    # The curated front and section pages answer before articles' lists.
    path("", include("frontpage.urls")),
    path("", include("search.urls")),
    path("", include("live.urls")),
    path("", include("articles.urls")),
]

handler500 = "newsroom.errors.server_error"
