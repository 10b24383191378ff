"""The words a reader searched for, marked where a result shows them."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.text import teaser

from .document import plain_text
from .terms import APOSTROPHES, fold, terms, visible

SNIPPET_LENGTH = 220  # characters, about two lines
# How much of a story a passage is looked for in: a transcript of 60,000
# words must not hold the page up.
SEARCHED_LENGTH = 20_000
CONTEXT = 40  # characters shown before the first word found
TEASER_LENGTH = 200
LETTER = r"(?:[^\W_]|[\u0300-\u036f])"
# How a folded letter may be written in the text.
WRITTEN = {"г": "[гґ]"}


class Marker:
    """Finds the words of a text that match a query's wanted words."""

    def __init__(self, query):
        self.wanted = query.words
        # A word and its lemmas begin alike ("люди", "людина"), so only words
        # that begin like a term are looked up (a regular expression finds
        # them, rather than Python going through every word).
        beginnings = {term[:2] for word in self.wanted for term in (word.terms or (word.text,))}
        written = (
            f"[{APOSTROPHES}]?".join(WRITTEN.get(letter, re.escape(letter)) for letter in start)
            for start in sorted(beginnings)
        )
        self.candidates = re.compile(
            rf"(?<![^\W_])(?:{'|'.join(written)}){LETTER}*(?:[{APOSTROPHES}]{LETTER}+)*",
            re.IGNORECASE,
        )

    def hit(self, word):
        found = frozenset(terms(word))
        return any(wanted.matches(found) for wanted in self.wanted)

    def hits(self, text):
        """The (start, end) of every word found in `text`."""
        return [
            match.span() for match in self.candidates.finditer(text) if self.hit(fold(match[0]))
        ]


def marked(text, hits, start=0, end=None):
    """text[start:end], escaped, with the hits in <mark>."""
    end = len(text) if end is None else end
    parts, at = [], start
    for hit_start, hit_end in hits:
        if start <= hit_start and hit_end <= end:
            parts += [escape(text[at:hit_start]), "<mark>", escape(text[hit_start:hit_end])]
            parts.append("</mark>")
            at = hit_end
    parts.append(escape(text[at:end]))
    return mark_safe("".join(parts))


def densest(hits):
    """The hit that begins the passage of SNIPPET_LENGTH with the most hits
    (one pass: the passage's end only moves forward)."""
    best, most, last = hits[0], 0, 0
    for first, hit in enumerate(hits):
        while last < len(hits) and hits[last][0] - hit[0] < SNIPPET_LENGTH:
            last += 1
        if last - first > most:
            best, most = hit, last - first
    return best


def headline(article, marker):
    return marked(article.headline, marker.hits(article.headline))


def snippet(article, marker):
    """The passage of the lead and body with the most words found, or the
    lead's beginning if only the headline, tags or authors matched."""
    text = f"{article.lead}\n{plain_text(article.body)}"[:SEARCHED_LENGTH]
    text = " ".join(visible(text).split())
    hits = marker.hits(text)
    if not hits:
        return teaser(article.lead, TEASER_LENGTH)
    best = densest(hits)
    start = max(0, best[0] - CONTEXT)
    if start:
        start = text.find(" ", start, best[0]) + 1 or best[0]
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        end = text.rfind(" ", best[1], end) if text.rfind(" ", best[1], end) > 0 else end
    before = "…" if start > 0 else ""
    after = "…" if end < len(text) else ""
    return mark_safe(f"{before}{marked(text, hits, start, end)}{after}")
