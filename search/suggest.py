"""Another query, when a reader's finds nothing: the same keys typed in
the Latin layout, a Russian spelling, or a typo. Every replacement is a word
the site has published (Word)."""

import re
from itertools import islice, product

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection

from .models import Word
from .query import MAX_QUERY_WORDS, parse
from .results import Filters, count
from .terms import analyzer, words

# The Ukrainian layout (ЙЦУКЕН) on a QWERTY keyboard.
LATIN = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
UKRAINIAN = "йцукенгшщзхїфівапролджєячсмитьбю'"
SHIFTED = '{}:"<>'  # [ ] ; ' , . with shift: Х Ї Ж Є Б Ю
LAYOUT = str.maketrans(
    dict(zip(LATIN, UKRAINIAN, strict=True))
    | {
        key.upper(): letter.upper()
        for key, letter in zip(LATIN, UKRAINIAN, strict=True)
        if key.isalpha()
    }
    | dict(zip(SHIFTED, "ХЇЖЄБЮ", strict=True))
)
LATIN_LETTER = re.compile("[a-zA-Z]")
CYRILLIC_LETTER = re.compile("[а-яА-ЯіїєґІЇЄҐ]")
# What a Russian letter may be in the same word spelt in Ukrainian:
# Киев → Київ, министр → міністр, Харьков → Харків.
RUSSIAN = {
    "и": ("и", "і"),
    "е": ("е", "є", "і", "ї"),
    "ё": ("ьо", "йо", "о"),
    "ы": ("и",),
    "э": ("е", "є"),
    "ъ": ("ї", ""),
    "о": ("о", "і"),
    "ь": ("ь", ""),
}
# Spellings tried for one word, at most.
MAX_SPELLINGS = 2_000
# How alike a typo and the word must be (pg_trgm's similarity, 0 to 1).
SIMILAR_ENOUGH = 0.4
MIN_TYPO_LENGTH = 4
CLOSEST = 3  # alike words tried, best first


def in_layout(text):
    """The text as if typed with the Ukrainian layout, if it was typed in
    Latin letters only."""
    if LATIN_LETTER.search(text) and not CYRILLIC_LETTER.search(text):
        return text.translate(LAYOUT)
    return None


def replace_words(text, replacements):
    """The text with the words that have a replacement replaced, in the
    case they were typed in."""
    parts, at = [], 0
    for start, end, word in words(text):
        if word in replacements:
            typed, replacement = text[start:end], replacements[word]
            if typed.isupper() and len(typed) > 1:
                replacement = replacement.upper()
            elif typed[0].isupper():
                replacement = replacement.capitalize()
            parts += [text[at:start], replacement]
            at = end
    return "".join(parts) + text[at:] if parts else None


def unknown(text):
    """The query's words (as many as a query reads) that find no published
    story: never written, or only in a story not out (yet, or any more)."""
    typed = {word for _, _, word in islice(words(text), MAX_QUERY_WORDS) if word.isalpha()}
    listed = Word.objects.filter(word__in=typed).values_list("word", flat=True)
    return typed - {word for word in listed if is_out(word)}


def is_out(word):
    """Whether a word finds a published story. The word list also holds the
    words of stories scheduled, unpublished or deleted since: what it
    suggests must not tell them."""
    return count(parse(word), Filters()) > 0


def spellings(word):
    """The Ukrainian spellings a Russian-looking word may stand for."""
    options = [RUSSIAN.get(letter, (letter,)) for letter in word]
    found = ["".join(letters) for letters in islice(product(*options), MAX_SPELLINGS)]
    return [spelling for spelling in found if spelling != word]


def in_ukrainian(text):
    """The text with its unknown Russian-looking words spelt the Ukrainian
    way: as a published word, or else one the dictionary knows."""
    replacements = {}
    for word in unknown(text):
        if not CYRILLIC_LETTER.search(word):
            continue
        tried = spellings(word)
        listed = Word.objects.filter(word__in=tried).order_by("word")
        published = [spelling for spelling in listed.values_list("word", flat=True)[:5]]
        # Of the dictionary's, the one with most readings: "київ" before "києв".
        known = [s for s in published if is_out(s)] or sorted(
            (s for s in tried if analyzer().word_is_known(s)),
            key=lambda spelling: (-len(analyzer().parse(spelling)), spelling),
        )
        if known:
            replacements[word] = known[0]
    return replace_words(text, replacements)


def trigrams(word):
    """pg_trgm's trigrams of one word (two spaces before, one after)."""
    padded = f"  {word} "
    return {padded[n : n + 3] for n in range(len(padded) - 2)}


def similarity(a, b):
    a, b = trigrams(a), trigrams(b)
    return len(a & b) / len(a | b)


def candidates(word):
    if connection.vendor == "postgresql":
        return (
            Word.objects.filter(word__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("word", word))
            .order_by("-similarity", "word")
            .values_list("word", flat=True)[:10]
        )
    # SQLite, more simply: the words that begin alike (a range of the
    # primary key's index).
    following = word[:1] + chr(ord(word[1]) + 1)
    return Word.objects.filter(word__gte=word[:2], word__lt=following).values_list(
        "word", flat=True
    )[:5_000]


def closest(word):
    """The published words most like `word`, of about the same length, best first."""
    scored = sorted(
        (-similarity(word, other), abs(len(other) - len(word)), other)
        for other in candidates(word)
        if abs(len(other) - len(word)) <= 2
    )
    return [other for score, _, other in scored[:CLOSEST] if -score >= SIMILAR_ENOUGH]


def corrected(text):
    """The text with its unknown words replaced by the published words
    most like them: "переговри" → "переговори"."""
    replacements = {}
    for word in unknown(text):
        if len(word) >= MIN_TYPO_LENGTH:
            best = next((other for other in closest(word) if is_out(other)), None)
            if best is not None:
                replacements[word] = best
    return replace_words(text, replacements)
