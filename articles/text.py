"""Text helpers: slugs by the Ukrainian national transliteration, teasers."""

import re

from django.utils.html import strip_tags
from django.utils.text import slugify
from translitua import UkrainianKMU, translit

SLUG_MAX_LENGTH = 100
# The typewriter apostrophe, the typographic one, the modifier letter, and
# two look-alikes: "Знам'янка", "Знам’янка" and "Знамʼянка" are one word.
APOSTROPHES = re.compile("['’ʼ‘`]")


def normalize(text):
    """Text compared as one: no markup, lower case, no apostrophes
    (tag names: "Зеленський" and "зеленський" are one tag)."""
    text = APOSTROPHES.sub("", strip_tags(text).replace("\x00", ""))
    return " ".join(text.lower().split())


def slugify_uk(text, max_length=SLUG_MAX_LENGTH):
    """Latin slug by Cabinet of Ministers resolution No. 55 of 2010.

    Django's slugify alone drops Cyrillic letters, so transliterate first.
    A long slug is cut at a hyphen so that no word is broken.
    """
    slug = slugify(translit(text, UkrainianKMU))
    if len(slug) > max_length:
        slug = slug[: max_length + 1].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-")


TEASER_ELLIPSIS = "…"
# A text ending a sentence (a closing quote or bracket may follow) needs no
# ellipsis: "етапи." stays so, never "етапи.…" or "етапи....".
SENTENCE_END = re.compile(r"[.!?…][\"»”“’)]*$")
# Punctuation that looks wrong right before the ellipsis; a full stop is kept.
DANGLING_PUNCTUATION = ",;:–—- "


def cut_at_word(text, limit):
    """Cut text to at most `limit` characters without breaking a word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]


def teaser(text, limit):
    """Text cut to `limit` characters at a word, ending in "…" unless it ends
    a sentence."""
    cut = cut_at_word(text, limit).rstrip(DANGLING_PUNCTUATION)
    return cut if SENTENCE_END.search(cut) else cut + TEASER_ELLIPSIS
