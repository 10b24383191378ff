"""The words a reader searched for, marked where a result shows them."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.text import teaser

from .document import plain_text
from .terms import terms, words

SNIPPET_WORDS = 30  # about two lines
TEASER_LENGTH = 200


class Marker:
    """Tells the words of a text that match a query's wanted words."""

    def __init__(self, query):
        self.wanted = query.words
        # A word and its lemmas begin alike ("люди", "людина"): a word that
        # begins like none of the query's terms needs no dictionary look-up.
        self.beginnings = {
            term[:2] for word in self.wanted for term in (word.terms or (word.text,))
        }

    def hit(self, word):
        if word[:2] not in self.beginnings:
            return False
        found = frozenset(terms(word))
        return any(wanted.matches(found) for wanted in self.wanted)

    def spans(self, text):
        return [(start, end, self.hit(word)) for start, end, word in words(text)]


def marked(text, spans, start=0, end=None):
    """text[start:end], escaped, with the hits of `spans` in <mark>."""
    end = len(text) if end is None else end
    parts, at = [], start
    for word_start, word_end, hit in spans:
        if hit and start <= word_start and word_end <= end:
            parts += [escape(text[at:word_start]), "<mark>", escape(text[word_start:word_end])]
            parts.append("</mark>")
            at = word_end
    parts.append(escape(text[at:end]))
    return mark_safe("".join(parts))


def headline(article, marker):
    return marked(article.headline, marker.spans(article.headline))


def snippet(article, marker):
    """The passage of the lead and body with the most hits, or the lead's
    beginning if the headline, tags or authors matched alone."""
    text = f"{article.lead}\n{plain_text(article.body)}"
    spans = marker.spans(text)
    hits = [n for n, span in enumerate(spans) if span[2]]
    if not hits:
        return teaser(article.lead, TEASER_LENGTH)
    # The window of SNIPPET_WORDS words that holds the most hits.
    best = max(hits, key=lambda first: sum(first <= n < first + SNIPPET_WORDS for n in hits))
    first = max(0, min(best - 3, len(spans) - SNIPPET_WORDS))
    last = min(len(spans), first + SNIPPET_WORDS) - 1
    start, end = spans[first][0], spans[last][1]
    window = marked(text, spans[first : last + 1], start, end)
    before = "…" if first > 0 else ""
    after = "…" if last < len(spans) - 1 else ""
    return mark_safe(f"{before}{' '.join(window.split())}{after}")
