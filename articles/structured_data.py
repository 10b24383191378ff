"""schema.org NewsArticle, as Google documents it, built from the model."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.timezone import localtime

from newsroom.identity import logo

# Google asks for the picture in these three ratios.
IMAGE_CROPS = ("16x9", "4x3", "1x1")


def publisher(absolute):
    url, width, height = logo()
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": absolute("/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(url),
            "width": width,
            "height": height,
        },
    }


def news_article(article, absolute):
    """The NewsArticle JSON-LD; `absolute` turns a path into a full URL."""
    authors = article.ordered_authors()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "url": absolute(article.get_absolute_url()),
        "headline": article.headline,
        "description": article.lead,
        "datePublished": localtime(article.published_at).isoformat(),
        "dateModified": localtime(article.revised_at or article.published_at).isoformat(),
        "inLanguage": "uk",
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute(author.get_absolute_url())}
            for author in authors
        ]
        or [{"@type": "NewsMediaOrganization", "name": settings.SITE_NAME, "url": absolute("/")}],
        "publisher": publisher(absolute),
        "keywords": [tag.name for tag in article.tags.all()],
    }
    if article.section:
        data["articleSection"] = article.section.name
    crops = article.photo_renditions.get("crops")
    if crops:
        data["image"] = [absolute(default_storage.url(crops[ratio][2])) for ratio in IMAGE_CROPS]
    return data
