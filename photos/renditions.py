"""A library photo's renditions: resized copies for the body, square crops
around the focal point for galleries and the library's grid. Each is made
once (named by the photo's content and the crop) and never holds metadata."""

import hashlib

from PIL import Image

from articles.images import (
    RENDITION_FORMATS,
    crop_box,
    encode,
    read_photo,
    store,
    widths_for,
    working_copy,
)

SQUARE_WIDTHS = (320, 640)


def encoded(image, stem, label):
    """The image in every format readers' browsers take: {mime type: name}."""
    return {
        mime_type: store(f"{stem}-{label}.{extension}", encode(image, pillow_format, options))
        for extension, pillow_format, mime_type, options in RENDITION_FORMATS
    }


def make_renditions(photo, focal_x=50, focal_y=50):
    """Write the renditions and describe them; {} when the file cannot be read
    (a page then shows the caption and credit without an image)."""
    original = read_photo(photo)
    if original is None:
        return {}
    digest = hashlib.sha256(original).hexdigest()[:16]
    stem = f"renditions/{digest[:2]}/{digest}"
    image = working_copy(original)
    width, height = image.size

    widths = widths_for(width)
    sources = {mime_type: [] for _, _, mime_type, _ in RENDITION_FORMATS}
    for target in widths:
        resized = image.resize((target, round(height * target / width)), Image.LANCZOS)
        for mime_type, name in encoded(resized, stem, str(target)).items():
            sources[mime_type].append([target, name])

    squares = {mime_type: [] for mime_type in sources}
    square = image.crop(crop_box(width, height, (1, 1), focal_x, focal_y))
    for side in sorted({min(target, square.width) for target in SQUARE_WIDTHS}):
        resized = square.resize((side, side), Image.LANCZOS)
        for mime_type, name in encoded(resized, stem, f"sq{side}-{focal_x}-{focal_y}").items():
            squares[mime_type].append([side, name])

    return {
        "width": widths[-1],
        "height": round(height * widths[-1] / width),
        "sources": sources,
        "squares": squares,
    }
