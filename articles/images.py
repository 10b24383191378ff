"""Hero photos: checks on upload, and the resized renditions readers are served."""

import contextlib
import hashlib
import os
import warnings
from io import BytesIO

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 45-megapixel camera's full frame fits
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}

RENDITION_WIDTHS = (480, 800, 1200)
# (file extension, Pillow format, MIME type, save options)
RENDITION_FORMATS = (
    ("webp", "WEBP", "image/webp", {"quality": 80, "method": 4}),
    ("jpg", "JPEG", "image/jpeg", {"quality": 82, "optimize": True, "progressive": True}),
)
# Fixed-ratio crops around the focal point, for previews and structured data.
CROPS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
CROP_WIDTH = 1200
# Renditions are cut from a copy this size at most: twice the widest, so a
# square crop of a landscape photo still has its full width.
WORKING_SIZE = 2 * CROP_WIDTH


def widths_for(width):
    """The rendition widths for a photo this wide: never enlarged, so a narrow
    photo's largest rendition is its own width."""
    return sorted({*(w for w in RENDITION_WIDTHS if w < width), min(width, RENDITION_WIDTHS[-1])})


def too_many_pixels():
    return ValidationError(
        _("The image is too large in pixels; at most %(limit)s megapixels are accepted."),
        code="too_many_pixels",
        params={"limit": MAX_PIXELS // 1_000_000},
    )


def validate_photo(upload):
    """Refuse what is not a photo we can safely process, saying why in Ukrainian."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; a photo may be at most %(limit)s."),
            code="file_too_big",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_UPLOAD_BYTES),
            },
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:  # reads the header only
                if image.format not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        _(
                            "Photos in %(format)s format are not accepted. "
                            "Upload a JPEG, PNG or WebP image."
                        ),
                        code="wrong_format",
                        params={"format": image.format},
                    )
                if image.width * image.height > MAX_PIXELS:
                    raise too_many_pixels()
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("This file is not a photo, or it is damaged. Upload a JPEG, PNG or WebP image."),
            code="not_an_image",
        ) from error
    finally:
        upload.seek(0)


# Originals already stored that an article may take as its photo by name,
# without a copy: {prefix: resolve(value) -> the stored name, or None}. The
# photo library registers "library" (a form sends "library:<id>").
STORED_PHOTOS = {}


def stored_photo(value):
    prefix = value.partition(":")[0]
    resolve = STORED_PHOTOS.get(prefix)
    name = resolve(value) if resolve else None
    if not name:
        raise ValidationError(
            _("The chosen photo is no longer in the library; choose another."),
            code="no_stored_photo",
        )
    return name


class PhotoInput(AdminFileWidget):
    """An upload, or an original already stored, chosen by name in the
    hidden "<name>-stored" field (the library's chooser fills it)."""

    template_name = "admin/widgets/photo_input.html"

    def stored_name(self, name):
        return f"{name}-stored"

    def value_from_datadict(self, data, files, name):
        upload = super().value_from_datadict(data, files, name)
        if upload is None and data.get(self.stored_name(name)):
            return data[self.stored_name(name)][:100]
        return upload

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and (
            self.stored_name(name) not in data
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["stored"] = {
            "name": self.stored_name(name),
            "value": value if isinstance(value, str) else "",
            "offered": bool(STORED_PHOTOS),
        }
        return context


class PhotoFormField(forms.ImageField):
    widget = PhotoInput

    def to_python(self, data):
        # Our checks first: Django's own would call a decompression bomb
        # merely "not an image".
        if data is not None and hasattr(data, "size"):
            validate_photo(data)
        return super().to_python(data)

    def clean(self, data, initial=None):
        if isinstance(data, str):  # an original already stored and checked
            return stored_photo(data)
        return super().clean(data, initial)

    def bound_data(self, data, initial):
        # A refused form shows the stored choice again (an upload never is).
        return data if isinstance(data, str) else super().bound_data(data, initial)


class OriginalsStorage(FileSystemStorage):
    """Uploaded originals, with whatever metadata they came with: kept
    outside the media readers are served (settings.ORIGINALS_ROOT), open
    to logged-in staff only (newsroom/urls.py)."""

    @property
    def base_location(self):
        return settings.ORIGINALS_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return f"/{settings.ADMIN_URL}originals/"


def originals_storage():
    """The folder, or the private part of the media bucket (settings.STORAGES)."""
    if "originals" in settings.STORAGES:
        return storages["originals"]
    return OriginalsStorage()


class PhotoField(models.ImageField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("storage", originals_storage)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{**kwargs, "form_class": PhotoFormField, "widget": PhotoInput})


def crop_box(width, height, ratio, focal_x, focal_y):
    """The largest box of the given ratio, centred on the focal point (percent)
    as far as the picture's edges allow."""
    ratio_w, ratio_h = ratio
    box_w, box_h = width, width * ratio_h // ratio_w
    if box_h > height:
        box_w, box_h = height * ratio_w // ratio_h, height
    left = min(max(width * focal_x // 100 - box_w // 2, 0), width - box_w)
    top = min(max(height * focal_y // 100 - box_h // 2, 0), height - box_h)
    return left, top, left + box_w, top + box_h


def encode(image, pillow_format, options):
    buffer = BytesIO()
    image.save(buffer, pillow_format, **options)
    return buffer.getvalue()


def store(name, content):
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    return name


def read_photo(photo):
    """The photo's bytes, just uploaded or already stored; None if unreadable."""
    if not photo._committed:
        # A fresh upload that Django has yet to store: read it, leave it open.
        photo.file.seek(0)
        content = photo.file.read()
        photo.file.seek(0)
        return content
    try:
        with photo.storage.open(photo.name, "rb") as file:
            return file.read()
    except OSError:
        return None


def working_copy(original):
    """The photo upright, in RGB, at most WORKING_SIZE on each side, with no
    metadata at all (camera, GPS, comments, text chunks): everything readers
    get is made from it. A large JPEG is decoded at a fraction of its size
    and any image is first shrunk by whole factors, so a 50-megapixel upload
    costs a worker a second or two, not a minute."""
    with Image.open(BytesIO(original)) as opened:
        opened.draft("RGB", (WORKING_SIZE, WORKING_SIZE))
        # Palette and 16-bit images shrink well only once converted.
        image = opened if opened.mode in ("RGB", "RGBA", "L", "LA") else opened.convert("RGBA")
        image.thumbnail((WORKING_SIZE, WORKING_SIZE), Image.LANCZOS, reducing_gap=3.0)
        # Damaged EXIF, as some cameras write it: the photo as it is stored.
        with contextlib.suppress(SyntaxError, ValueError, TypeError, OSError):
            image = ImageOps.exif_transpose(image)
        image = image.convert("RGB")
    image.info.clear()
    return image


def make_renditions(photo, focal_x=50, focal_y=50):
    """Write resized copies of a photo, without its metadata, and describe them.

    Returns {} when the photo cannot be read (say, its file is missing), so a
    page shows its caption and credit without an image rather than failing.
    """
    original = read_photo(photo)
    if original is None:
        return {}
    digest = hashlib.sha256(original).hexdigest()[:16]
    image = working_copy(original)
    width, height = image.size
    stem = f"renditions/{digest[:2]}/{digest}"

    sources = {}
    widths = widths_for(width)
    for extension, pillow_format, mime_type, options in RENDITION_FORMATS:
        sources[mime_type] = []
        for target in widths:
            resized = image.resize((target, round(height * target / width)), Image.LANCZOS)
            name = store(f"{stem}-{target}.{extension}", encode(resized, pillow_format, options))
            sources[mime_type].append([target, name])

    crops = {}
    jpeg_options = RENDITION_FORMATS[1][3]
    for label, ratio in CROPS.items():
        cropped = image.crop(crop_box(width, height, ratio, focal_x, focal_y))
        if cropped.width > CROP_WIDTH:
            crop_height = round(cropped.height * CROP_WIDTH / cropped.width)
            cropped = cropped.resize((CROP_WIDTH, crop_height), Image.LANCZOS)
        name = f"{stem}-{label}-{focal_x}-{focal_y}.jpg"
        crops[label] = [
            cropped.width,
            cropped.height,
            store(name, encode(cropped, "JPEG", jpeg_options)),
        ]

    largest_width = widths[-1]
    return {
        "width": largest_width,
        "height": round(height * largest_width / width),
        "sources": sources,
        "crops": crops,
    }
