from django.conf import settings

from .identity import logo


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "site_logo": logo(),
    }
