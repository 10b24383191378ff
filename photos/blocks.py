"""Library photos in the body: one photo, or a gallery of several.

The body stores only which photos and, if the editor wrote one, the story's
own caption: <figure data-photo="12"><figcaption>…</figcaption></figure>, or
data-gallery="12 13 14". Readers get the library's renditions, caption and
credit, as under the lead photo.
"""

import re
from html import unescape

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext as _

from articles.html import BodyBlock

from .models import PHOTO_ID, Photo

MAX_GALLERY = 12
MAX_CAPTION = 300

BLOCK = re.compile(
    r"<figure\b[^>]*?\bdata-(photo|gallery)\s*=\s*\"([^\"]*)\"[^>]*>(.*?)</figure>",
    re.DOTALL | re.IGNORECASE,
)
CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)


def parts(match):
    """(kind, photo ids, the story's own caption) of a stored or submitted element."""
    kind, numbers, inside = match.groups()
    ids = [int(n) for n in numbers.split() if PHOTO_ID.fullmatch(n)]
    found = CAPTION.search(inside)
    caption = unescape(strip_tags(found.group(1))).strip()[:MAX_CAPTION] if found else ""
    return kind.lower(), list(dict.fromkeys(ids)), caption


def stored(kind, ids, caption):
    return format_html(
        '<figure data-{}="{}">{}</figure>',
        kind,
        " ".join(map(str, ids)),
        format_html("<figcaption>{}</figcaption>", caption) if caption else "",
    )


def as_text(caption):
    return format_html("<p>{}</p>", caption) if caption else ""


def well_formed(kind, ids):
    return ids and (len(ids) == 1 if kind == "photo" else len(ids) <= MAX_GALLERY)


def check(html):
    elements = [parts(match) for match in BLOCK.finditer(html or "")]
    wanted = {pk for _kind, ids, _caption in elements for pk in ids}
    photos = Photo.objects.in_bulk(wanted)
    errors = []
    for kind, ids, _caption in elements:
        if kind == "gallery" and len(ids) > MAX_GALLERY:
            errors.append(_("A gallery may have at most %(max)d photos.") % {"max": MAX_GALLERY})
    for pk in sorted(wanted):
        photo = photos.get(pk)
        if photo is None:
            errors.append(_("Photo No. %(number)d is not in the library.") % {"number": pk})
        elif photo.missing:
            errors.append(
                _("Photo No. %(number)d needs its %(missing)s in the library before it is shown.")
                % {"number": pk, "missing": _(" and ").join(map(str, photo.missing.values()))}
            )
    if errors:
        raise ValidationError(errors)


def tidy(html):
    def rebuild(match):
        kind, ids, caption = parts(match)
        return stored(kind, ids, caption) if well_formed(kind, ids) else as_text(caption)

    return BLOCK.sub(rebuild, html)


def render(html):
    elements = list(BLOCK.finditer(html))
    if not elements:
        return html
    photos = Photo.objects.in_bulk({pk for match in elements for pk in parts(match)[1]})

    def figure(match):
        kind, ids, caption = parts(match)
        shown = [photos[pk] for pk in ids if pk in photos]
        if not shown:
            return as_text(caption)
        if kind == "photo":
            context = {"photo": shown[0], "caption": caption or shown[0].caption}
            return render_to_string("photos/_photo.html", context)
        return render_to_string("photos/_gallery.html", {"photos": shown, "caption": caption})

    return BLOCK.sub(figure, html)


def plain(html):
    """Feeds get the story's caption; the photos stay on the page."""
    return BLOCK.sub(lambda match: as_text(parts(match)[2]), html)


PHOTO_BLOCK = BodyBlock(
    extension="LibraryPhoto",
    tags=frozenset({"figure", "figcaption"}),
    attributes={"figure": {"data-photo", "data-gallery"}},
    check=check,
    tidy=tidy,
    render=render,
    plain=plain,
    editor_options=lambda: {"chooserUrl": reverse("admin:photos_photo_chooser")},
)
