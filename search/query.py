"""What a reader typed, as a search query: words (each any of its terms),
"quoted phrases" (words in that order, any of their forms), -exclusions,
and prefix* words. A hyphenated word ("Івано-Франківськ") is a phrase."""

import re
from dataclasses import dataclass

from articles.cache import MAX_QUERY_LENGTH

from .terms import terms, visible, words

MAX_QUERY_WORDS = 10
MIN_PREFIX = 3  # "мін*" may match many words, "м*" every one
# Words nearly every text has: left out of a query that has other words.
STOP_WORDS = frozenset({
    "а", "або", "але", "б", "без", "би", "в", "де", "для", "до", "ж", "же", "з", "за",
    "зі", "і", "із", "й", "між", "на", "над", "о", "об", "от", "перед", "під", "по",
    "при", "про", "та", "то", "у", "через", "чи", "що", "як",
})  # fmt: skip
# Quotes and minus signs as phones and word processors type them.
TYPED = str.maketrans(dict.fromkeys("“”«»„‟″", '"') | dict.fromkeys("–—−‒", "-"))
# A part of the query: an optional "-", then a "phrase" (its closing quote
# may be missing) or a run of anything but spaces and quotes.
PART = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')


@dataclass(frozen=True)
class Word:
    text: str  # the folded word as typed
    terms: tuple  # any of these matches
    prefix: bool = False  # or any term that starts with `text`

    def matches(self, found):
        """Whether a word with the terms `found` is this word."""
        if self.prefix:
            return any(term.startswith(self.text) for term in found)
        return not found.isdisjoint(self.terms)


@dataclass(frozen=True)
class Query:
    include: tuple  # phrases (tuples of Words), every one needed
    exclude: tuple  # phrases none of which may be there

    def __bool__(self):
        return bool(self.include)

    @property
    def has_long_phrases(self):
        return any(len(phrase) > 1 for phrase in self.include + self.exclude)

    @property
    def words(self):
        return [word for phrase in self.include for word in phrase]


def phrase_of(text):
    """The words of one part; a trailing * makes the last one a prefix."""
    phrase = []
    for _, end, word in words(text):
        prefix = text[end:].startswith("*") and len(word) >= MIN_PREFIX
        phrase.append(Word(word, () if prefix else terms(word), prefix))
    return tuple(phrase)


def parse(text):
    parts = []
    for minus, quoted, plain in PART.findall(visible(text[:MAX_QUERY_LENGTH]).translate(TYPED)):
        phrase = phrase_of(quoted or plain)
        if phrase:
            parts.append((bool(minus), phrase))
    # "переговори в Парижі" also finds "переговори у Парижі" and "переговори
    # про Париж": only a phrase keeps its little words.
    kept = [
        (minus, phrase)
        for minus, phrase in parts
        if len(phrase) > 1 or phrase[0].prefix or phrase[0].text not in STOP_WORDS
    ]
    if not any(not minus for minus, _ in kept):
        kept = parts
    include, exclude, count = [], [], 0
    for minus, phrase in kept:
        phrase = phrase[: MAX_QUERY_WORDS - count]
        if phrase:
            count += len(phrase)
            (exclude if minus else include).append(phrase)
    return Query(tuple(include), tuple(exclude))


def display(text):
    """The query as the page repeats it: its words, folded spaces."""
    return " ".join(text[:MAX_QUERY_LENGTH].split())
