"""What a prepared change would change in the article readers see."""

import difflib
import re
from datetime import datetime

from django.utils.formats import date_format
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from articles.models import Article

COMPARED = [
    "headline", "lead", "body", "photo", "photo_caption", "photo_credit", "photo_alt",
    "photo_focal_x", "photo_focal_y", "section", "authors", "tags", "slug", "status",
    "published_at",
]  # fmt: skip
BLOCK_END = re.compile(r"</(p|h[2-4]|li|blockquote)>|<br\s*/?>", re.IGNORECASE)


def readable(article, name):
    if name == "tags":
        return ", ".join(sorted(tag.name for tag in article.tags.all()))
    if name == "authors":
        return ", ".join(author.name for author in article.ordered_authors())
    if name == "status":
        return article.get_status_display()
    if name == "photo":
        # A new photo is held until the change is published.
        return _("a new photo") if getattr(article, "new_photo", False) else article.photo.name
    if name == "body":
        # The words readers read, a paragraph to a line.
        return strip_tags(BLOCK_END.sub("\n", article.body)).strip()
    value = getattr(article, name)
    if isinstance(value, datetime):
        return date_format(localtime(value), "DATETIME_FORMAT")
    return "" if value is None else str(value)


def word_diff(old, new):
    """The new text with removed words struck through and added ones marked."""
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            parts.append(escape("".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(format_html("<del>{}</del>", "".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(format_html("<ins>{}</ins>", "".join(new_words[b1:b2])))
    return mark_safe("".join(parts))


def changed_fields(live, prepared):
    """[(field label, the difference)] for each field the change touches."""
    rows = []
    for name in COMPARED:
        old, new = readable(live, name), readable(prepared, name)
        if old != new:
            label = Article._meta.get_field(name).verbose_name
            rows.append((label, word_diff(old, new)))
    return rows
