"""Photo renditions served by the app itself, so that one machine running
`make serve` needs nothing else. Behind nginx, let it serve the renditions
folder with the same headers (README, "Photos").

Only renditions are here: their names are made from their content, so a
browser or CDN may keep them for a year. Originals live elsewhere
(ORIGINALS_ROOT) and are served to logged-in staff only.
"""

import mimetypes
import posixpath

from botocore.exceptions import ClientError
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.static import serve

RENDITIONS = "renditions/"
ORIGINAL_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
A_YEAR = 365 * 24 * 3600


def rendition(request, path):
    path = posixpath.normpath(path)  # "renditions/../x" is not a rendition
    if not path.startswith(RENDITIONS):
        raise Http404
    if isinstance(default_storage, FileSystemStorage):
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    else:
        response = from_storage(default_storage, path, mimetypes.guess_type(path)[0])
    patch_cache_control(response, public=True, max_age=A_YEAR, immutable=True)
    return response


def from_storage(storage, path, content_type):
    """A file from object storage (newsroom/storage.py), streamed."""
    if content_type is None:
        raise Http404
    try:
        with storage.open(path, "rb") as file:
            content = file.read()
    except (FileNotFoundError, ClientError):  # no such key (an unreachable server is a 500)
        raise Http404 from None
    return HttpResponse(content, content_type=content_type)


@staff_member_required
def original(request, path):
    """An uploaded original, to staff who may open its article or the library."""
    from articles.images import originals_storage
    from articles.models import Article
    from photos.models import Photo

    in_library = request.user.has_perm("photos.view_photo") and (
        Photo.objects.filter(image=path).exists()
    )
    if not in_library and not Article.objects.visible_to(request.user).filter(photo=path).exists():
        raise Http404
    # Served as the photo it was checked to be, never as what a name says
    # (a file named .html or .svg would run script on the admin's origin).
    content_type = ORIGINAL_TYPES.get(posixpath.splitext(path)[1].lower())
    if content_type is None:
        raise Http404
    storage = originals_storage()
    if isinstance(storage, FileSystemStorage):
        response = serve(request, path, document_root=settings.ORIGINALS_ROOT)
        response["Content-Type"] = content_type
    else:
        response = from_storage(storage, path, content_type)
    patch_cache_control(response, private=True)
    return response
