"""Ukrainian words as search compares them.

A word is indexed, and a query word looked up, as the set of its terms: the
word itself and every lemma the morphological dictionary (pymorphy3's
Ukrainian one) gives it, so that "переговорах" and "переговори" share
"переговори". Names the dictionary does not know also get their stems
without a common ending, so that Умєров, Умєрова, Умєрову and Умєровим meet.
Two words match when their sets meet; the whole word is always needed, so
"мир" does not match "Володимир".
"""

import re
import unicodedata
from functools import lru_cache

import pymorphy3

# The typewriter apostrophe, the typographic one, the modifier letter, and
# two look-alikes: "Знам'янка", "Знам’янка" and "Знамʼянка" are one word.
APOSTROPHES = "'’ʼ‘`"
# A word as written: letters and digits, with apostrophes inside, and the
# combining marks of a stressed or decomposed letter ("за́мок").
WORD = re.compile(rf"(?:[^\W_]|[\u0300-\u036f])+(?:[{APOSTROPHES}](?:[^\W_]|[\u0300-\u036f])+)*")
MARKS = re.compile("[\u0300-\u036f]")
# Soft hyphens and zero-width characters: invisible, and inside words.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
FOLDED = str.maketrans(dict.fromkeys(APOSTROPHES) | {"ґ": "г"})
# Longer than any real word: not looked up, not indexed.
MAX_WORD_LENGTH = 60
# Spellings that alternate for sound alone: "у Києві" is "в Києві".
EUPHONY = {"в": "у", "й": "і", "із": "з", "зі": "з", "ізо": "з", "зо": "з"}
# Endings of names and nouns the dictionary does not know, longest first
# among those that overlap.
ENDINGS = (
    "ими", "ого", "ому", "ові", "еві", "єві", "ою", "ею", "єю", "ій", "ів", "їв",
    "их", "им", "ам", "ах", "ям", "ях", "ом", "ем", "єм", "а", "у", "ю", "і", "е",
    "є", "и", "я", "о",
)  # fmt: skip
MIN_STEM = 3
# What the dictionary is asked about: Cyrillic words only (its shape checks
# fail on letters Unicode has no name for, and it has nothing to say of others).
CYRILLIC = re.compile("[\u0400-\u04ff]+")


@lru_cache(maxsize=1)
def analyzer():
    return pymorphy3.MorphAnalyzer(lang="uk")


def fold(word):
    """A word without case, apostrophes and stress marks, and with г for ґ."""
    if MARKS.search(word):
        # Composed first: и with a combining breve is й, not и.
        word = MARKS.sub("", unicodedata.normalize("NFC", word))
    return word.lower().translate(FOLDED)


def visible(text):
    """The text without its invisible characters (a regular expression:
    str.translate with a table goes through a long text letter by letter)."""
    return INVISIBLE.sub("", text)


def words(text):
    """The words of a text, as (start, end) spans and folded words."""
    for match in WORD.finditer(text):
        word = fold(match.group())
        if word and len(word) <= MAX_WORD_LENGTH:
            yield match.start(), match.end(), word


@lru_cache(maxsize=300_000)
def terms(word):
    """Every term of a folded word (see the module's docstring), sorted."""
    found = {EUPHONY.get(word, word)}
    if CYRILLIC.fullmatch(word):
        morph = analyzer()
        found.update(EUPHONY.get(f, f) for f in (fold(p.normal_form) for p in morph.parse(word)))
        if not morph.word_is_known(word):
            found.update(
                word[: -len(ending)]
                for ending in ENDINGS
                if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM
            )
    return tuple(sorted(found))
