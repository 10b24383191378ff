"""Media in S3-compatible object storage (settings.MEDIA_S3_BUCKET), shared
by every app server: a photo saved through one is served by all.

Renditions are public and named by their content, so their addresses never
carry a signature (one would change on every render, and defeat caching):
from the media host (settings.MEDIA_HOST) if there is one, else through the
app servers' own /media/ (newsroom/media.py), which Varnish keeps. Originals
are private: only the admin's originals view opens them, to staff.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class RenditionStorage(S3Storage):
    def url(self, name, *args, **kwargs):
        if settings.MEDIA_HOST:
            return super().url(name, *args, **kwargs)
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))


class OriginalStorage(S3Storage):
    """Originals are opened through the admin (newsroom/media.py), never
    by a signed address: one would let whoever holds it in for its lifetime."""

    def url(self, name, *args, **kwargs):
        return f"/{settings.ADMIN_URL}originals/{filepath_to_uri(name)}"


def s3_storages(bucket, endpoint, media_host):
    """STORAGES' entries for media in `bucket`: renditions under public/,
    originals under originals/ (give only public/ anonymous read, if any)."""
    common = {"bucket_name": bucket, "endpoint_url": endpoint or None, "file_overwrite": False}
    scheme, _, host = media_host.partition("://") if media_host else ("https", "", None)
    return {
        "default": {
            "BACKEND": "newsroom.storage.RenditionStorage",
            "OPTIONS": {
                **common,
                "location": "public",
                "querystring_auth": False,
                "custom_domain": host,
                "url_protocol": f"{scheme}:",
                # Named by their content: a year, never revalidated.
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
        "originals": {
            "BACKEND": "newsroom.storage.OriginalStorage",
            "OPTIONS": {**common, "location": "originals", "default_acl": "private"},
        },
    }
