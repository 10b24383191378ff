"""The site's identity (settings.SITE_NAME, SITE_DESCRIPTION, SITE_LOGO), as
pages, feeds and structured data use it."""

from functools import cache
from typing import NamedTuple

from django.conf import settings
from django.templatetags.static import static
from PIL import Image


class Logo(NamedTuple):
    url: str  # the static file's (hashed) address
    width: int
    height: int


@cache
def logo():
    with Image.open(settings.BASE_DIR / "static" / settings.SITE_LOGO) as image:
        return Logo(static(settings.SITE_LOGO), image.width, image.height)
