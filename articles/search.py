"""Site search for Ukrainian text, whatever its case or apostrophe form.

Both databases search two derived columns that Python normalises (see
normalize): SQLite's LIKE and lower() fold only ASCII, and PostgreSQL's
folding depends on the database's locale, while Python's is Unicode.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.html import strip_tags

# The typewriter apostrophe, the typographic one, the modifier letter, and
# two look-alikes: "Знам'янка", "Знам’янка" and "Знамʼянка" are one word.
APOSTROPHES = re.compile("['’ʼ‘`]")
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8


def normalize(text):
    """Text as search compares it: no markup, lower case, no apostrophes."""
    text = APOSTROPHES.sub("", strip_tags(text).replace("\x00", ""))
    return " ".join(text.lower().split())


def query_words(query):
    """The words of what a reader typed; punctuation and excess are dropped."""
    return re.findall(r"\w+", normalize(query[:MAX_QUERY_LENGTH]))[:MAX_QUERY_WORDS]


def search_document():
    """What PostgreSQL searches: headline words weigh more than the text's.
    The GIN index of migration 0002 is built on exactly this expression."""
    return SearchVector("search_headline", weight="A", config="simple") + SearchVector(
        "search_text", weight="B", config="simple"
    )


def search(articles, query):
    """Articles matching every word (as a prefix on PostgreSQL), headline matches first."""
    words = query_words(query)
    if not words:
        return articles.none()
    if connection.vendor == "postgresql":
        vector = search_document()
        # Words are \w+ only, so the raw query has no operators but ours.
        terms = SearchQuery(
            " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
        )
        return (
            articles.annotate(document=vector, rank=SearchRank(vector, terms))
            .filter(document=terms)
            .order_by("-rank", "-published_at")
        )
    for word in words:
        articles = articles.filter(
            Q(search_headline__contains=word) | Q(search_text__contains=word)
        )
    in_headline = Q(*(Q(search_headline__contains=word) for word in words))
    return articles.annotate(
        in_headline=Case(
            When(in_headline, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by("-in_headline", "-published_at")
