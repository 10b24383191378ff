"""The two databases' ways of indexing and finding the same thing.

A query matches the same articles on both (tests/test_search_table.py): each
word one of its terms, each phrase its words at consecutive places, none of
the excluded. Results come in two tiers, the articles whose headline, tags
or authors alone match first, each tier newest first.
"""

import re
import time

from django.conf import settings
from django.db import OperationalError, connection

from .document import BREAK, FIELDS

# "Знайдено понад 1000 результатів": counting further costs a reader nothing
# to know and the site a scan of every match.
COUNT_LIMIT = 1_000
# tsvector's limits: the highest place a word may have, and how many places
# one word keeps.
MAX_POSITION = 16_383
MAX_PLACES = 256
WEIGHTS = {"title": "A", "lead": "B", "body": "C"}


class SearchTimeout(Exception):
    """A search took longer than settings.SEARCH_TIMEOUT allows."""


def quoted(term):
    # Terms are letters and digits only (terms.WORD): nothing to escape.
    return f"'{term}'"


class Postgres:
    """A stored tsvector per entry with every term of a word at the word's
    place, so that a phrase is tsquery's <->; GIN-indexed."""

    @staticmethod
    def vector(fields):
        places = {}
        position = 0
        for name in FIELDS:
            position += 1  # a gap between fields: no phrase across them
            for found in fields.get(name, ()):
                position = min(position + 1, MAX_POSITION)
                if found is BREAK:
                    continue
                for term in found:
                    places.setdefault(term, []).append(f"{position}{WEIGHTS[name]}")
        return " ".join(f"{quoted(t)}:{','.join(p[:MAX_PLACES])}" for t, p in places.items())

    def store(self, entry, streams):
        title = {"title": streams["title"]}
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE search_entry SET document = %s::tsvector, title = %s::tsvector"
                " WHERE article_id = %s",
                [self.vector(streams), self.vector(title), entry.pk],
            )

    def remove(self, article_id):
        pass  # the entry's row is all there is

    @staticmethod
    def word(word):
        if word.prefix:
            return f"{quoted(word.text)}:*"
        return "(" + " | ".join(quoted(term) for term in word.terms) + ")"

    def phrases(self, phrases):
        return ["(" + " <-> ".join(self.word(w) for w in phrase) + ")" for phrase in phrases]

    def tsqueries(self, query):
        """The whole query, and its wanted part alone (for the title tier)."""
        wanted = " & ".join(self.phrases(query.include))
        unwanted = "".join(f" & !{p}" for p in self.phrases(query.exclude))
        return wanted + unwanted, wanted

    def find(self, query, where, params, start, size):
        document, title = self.tsqueries(query)
        tier = (
            "SELECT article_id, {tier} AS tier, published_at FROM search_entry"
            " WHERE {match} AND " + where + " ORDER BY published_at DESC, article_id DESC"
            " LIMIT %s"
        )
        sql = (
            "SELECT article_id, tier, (SELECT count(*) FROM (SELECT 1 FROM search_entry"
            f" WHERE document @@ %s::tsquery AND {where} LIMIT %s) AS matches)"
            " FROM (("
            + tier.format(tier=0, match="title @@ %s::tsquery AND document @@ %s::tsquery")
            + ") UNION ALL ("
            + tier.format(tier=1, match="document @@ %s::tsquery AND NOT title @@ %s::tsquery")
            + ")) AS found ORDER BY tier, published_at DESC, article_id DESC"
            " OFFSET %s LIMIT %s"
        )
        end = start + size + 1
        arguments = [document, *params, COUNT_LIMIT + 1]
        arguments += [title, document, *params, end, document, title, *params, end]
        return self.run(sql, arguments + [start, size + 1])

    def run(self, sql, arguments):
        """Run a search under the time limit, set for this one statement
        (in the same round trip) and put back after it. If it is cancelled,
        its implicit transaction takes the setting back with it."""
        limited = f"SET statement_timeout = %s; {sql}; SET statement_timeout TO DEFAULT"
        with connection.cursor() as cursor:
            try:
                cursor.execute(limited, [settings.SEARCH_TIMEOUT, *arguments])
            except OperationalError as error:
                if "statement timeout" in str(error):
                    raise SearchTimeout from error
                raise
            while cursor.description is None and cursor.nextset():
                pass  # to the search's own result
            return cursor.fetchall()


class Sqlite:
    """An FTS5 table of the same terms, a word's terms written side by side
    (FTS5 has one term per place): FTS5 finds the words, and a phrase is
    checked here against the stored text, where a space parts words and "|"
    a word's terms."""

    def store(self, entry, streams):
        texts = [text_of(streams.get(name, ())) for name in FIELDS]
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_text WHERE rowid = %s", [entry.pk])
            cursor.execute(
                "INSERT INTO search_text (rowid, title, lead, body) VALUES (%s, %s, %s, %s)",
                [entry.pk, *texts],
            )

    def remove(self, article_id):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_text WHERE rowid = %s", [article_id])

    @staticmethod
    def word(word):
        if word.prefix:
            return f'"{word.text}"*'
        return "(" + " OR ".join(f'"{term}"' for term in word.terms) + ")"

    def match(self, query):
        """FTS5's part: every word wanted, no single word unwanted."""
        wanted = " AND ".join(self.word(w) for w in query.words)
        unwanted = "".join(
            f" NOT {self.word(phrase[0])}" for phrase in query.exclude if len(phrase) == 1
        )
        return wanted + unwanted, f"title : ({wanted})"

    def find(self, query, where, params, start, size):
        document, title = self.match(query)
        if query.has_long_phrases:
            return self.find_phrases(query, document, where, params, start, size)
        sql = (
            "SELECT e.article_id,"
            " CASE WHEN e.article_id IN (SELECT rowid FROM search_text WHERE search_text MATCH %s)"
            " THEN 0 ELSE 1 END AS tier,"
            " (SELECT count(*) FROM (SELECT 1 FROM search_text JOIN search_entry e"
            " ON e.article_id = search_text.rowid WHERE search_text MATCH %s AND "
            + where
            + " LIMIT %s))"
            " FROM search_text JOIN search_entry e ON e.article_id = search_text.rowid"
            " WHERE search_text MATCH %s AND "
            + where
            + " ORDER BY tier, e.published_at DESC, e.article_id DESC LIMIT %s OFFSET %s"
        )
        arguments = [title, document, *params, COUNT_LIMIT + 1, document, *params, size + 1, start]
        return self.run(sql, arguments)

    def find_phrases(self, query, document, where, params, start, size):
        """Phrases are checked on the newest COUNT_LIMIT articles that have
        their words: beyond those, a reader is told "more than"."""
        sql = (
            "SELECT e.article_id, search_text.title, search_text.lead, search_text.body"
            " FROM search_text JOIN search_entry e ON e.article_id = search_text.rowid"
            " WHERE search_text MATCH %s AND "
            + where
            + " ORDER BY e.published_at DESC, e.article_id DESC LIMIT %s"
        )
        wanted = [phrase_pattern(phrase) for phrase in query.include]
        unwanted = [phrase_pattern(phrase) for phrase in query.exclude]
        found = []
        for article_id, *texts in self.run(sql, [document, *params, COUNT_LIMIT + 1]):
            if all(any(p.search(t) for t in texts) for p in wanted) and not any(
                p.search(t) for p in unwanted for t in texts
            ):
                in_title = all(p.search(texts[0]) for p in wanted)
                found.append((0 if in_title else 1, article_id))
        total = len(found)
        found.sort(key=lambda item: item[0])  # stable: newest first in each tier
        return [(article_id, tier, total) for tier, article_id in found[start : start + size + 1]]

    def run(self, sql, arguments):
        """SQLite has no statement timeout: a progress handler interrupts a
        statement that runs past the deadline."""
        deadline = time.monotonic() + settings.SEARCH_TIMEOUT / 1000
        connection.ensure_connection()
        raw = connection.connection
        raw.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, arguments)
                return cursor.fetchall()
        except OperationalError as error:
            if "interrupted" in str(error):
                raise SearchTimeout from error
            raise
        finally:
            raw.set_progress_handler(None, 0)


def text_of(stream):
    return " ".join("·" if found is BREAK else "|".join(found) for found in stream)


def word_pattern(word):
    """A word of the stored text ("term|term|term") that is `word`."""
    if word.prefix:
        term = re.escape(word.text) + r"[^\s|]*"
    else:
        term = "(?:" + "|".join(map(re.escape, word.terms)) + ")"
    return rf"(?<!\S)(?:\S*\|)?{term}(?:\|\S*)?(?!\S)"


def phrase_pattern(phrase):
    """The phrase's words, one after another, in the stored text."""
    return re.compile(" ".join(map(word_pattern, phrase)))


def backend():
    return Postgres() if connection.vendor == "postgresql" else Sqlite()

