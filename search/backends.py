"""The two databases' ways of indexing and finding the same thing.

A query matches the same articles on both (tests/test_search_table.py): each
word one of its terms, each phrase its words at consecutive places, none of
the excluded. Results come in two tiers, the articles whose headline, tags
or authors alone match first, each tier newest first. Each row of a page is
(article id, tier, how many match, whether that count is of every article
or, for a phrase, of the newest COUNT_LIMIT that have its words).
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

    def store(self, documents):
        """Write the words of each (article id, streams) to its entry."""
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE search_entry SET document = %s::tsvector, title = %s::tsvector"
                " WHERE article_id = %s",
                [
                    (self.vector(streams), self.vector({"title": streams["title"]}), pk)
                    for pk, streams in documents
                ],
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
        """Two plans in one statement, chosen by how many articles match:
        up to COUNT_LIMIT, they are all read through the GIN index and
        sorted (an index of dates would be scanned from the newest on, past
        every article, to find a rare word); beyond it, each tier is read
        from the newest on, where its matches are met within a few rows.
        PostgreSQL runs only the branch whose one-time condition holds."""
        document, title = self.tsqueries(query)
        if query.has_long_phrases:
            return self.find_phrases(query, document, title, where, params, start, size)
        newest = "ORDER BY published_at DESC, article_id DESC"
        sql = (
            "WITH matches AS MATERIALIZED ("
            " SELECT article_id, published_at, title @@ %(title)s::tsquery AS in_title"
            f" FROM search_entry WHERE document @@ %(document)s::tsquery AND {where}"
            " LIMIT %(counted)s),"
            " total AS (SELECT count(*) AS found FROM matches)"
            " SELECT article_id, tier, (SELECT found FROM total), true FROM ("
            " (SELECT article_id, CASE WHEN in_title THEN 0 ELSE 1 END AS tier, published_at"
            "  FROM matches WHERE (SELECT found FROM total) < %(counted)s)"
            " UNION ALL (SELECT article_id, 0, published_at FROM search_entry"
            "  WHERE (SELECT found FROM total) = %(counted)s AND title @@ %(title)s::tsquery"
            f"  AND document @@ %(document)s::tsquery AND {where} {newest} LIMIT %(end)s)"
            " UNION ALL (SELECT article_id, 1, published_at FROM search_entry"
            "  WHERE (SELECT found FROM total) = %(counted)s"
            "  AND document @@ %(document)s::tsquery AND NOT title @@ %(title)s::tsquery"
            f"  AND {where} {newest} LIMIT %(end)s)"
            f") AS found ORDER BY tier, {newest.removeprefix('ORDER BY ')}"
            " OFFSET %(start)s LIMIT %(size)s"
        )
        arguments = {
            **params,
            "document": document,
            "title": title,
            "counted": COUNT_LIMIT + 1,
            "start": start,
            "end": start + size + 1,
            "size": size + 1,
        }
        return self.run(sql, arguments)

    def find_phrases(self, query, document, title, where, params, start, size):
        """A phrase needs each candidate's stored vector read (GIN keeps no
        places), so, as on SQLite, phrases are checked on the newest
        COUNT_LIMIT articles that have their words, chosen as find chooses."""
        words = " & ".join(self.word(w) for w in query.words)
        words += "".join(f" & !{self.word(p[0])}" for p in query.exclude if len(p) == 1)
        newest = "ORDER BY published_at DESC, article_id DESC"
        sql = (
            "WITH having_words AS MATERIALIZED (SELECT article_id FROM search_entry"
            f" WHERE document @@ %(words)s::tsquery AND {where} LIMIT %(counted)s),"
            " total AS (SELECT count(*) AS found FROM having_words),"
            " candidates AS MATERIALIZED ("
            " SELECT article_id FROM having_words WHERE (SELECT found FROM total) < %(counted)s"
            " UNION ALL (SELECT article_id FROM search_entry"
            "  WHERE (SELECT found FROM total) = %(counted)s"
            f"  AND document @@ %(words)s::tsquery AND {where} {newest} LIMIT %(counted)s)),"
            " matches AS MATERIALIZED (SELECT article_id, published_at,"
            " CASE WHEN title @@ %(title)s::tsquery THEN 0 ELSE 1 END AS tier FROM search_entry"
            " WHERE article_id IN (SELECT article_id FROM candidates)"
            " AND document @@ %(document)s::tsquery)"
            " SELECT article_id, tier, (SELECT count(*) FROM matches),"
            " (SELECT count(*) FROM candidates) < %(counted)s FROM matches"
            f" ORDER BY tier, {newest.removeprefix('ORDER BY ')} OFFSET %(start)s LIMIT %(size)s"
        )
        arguments = {
            **params,
            "words": words,
            "document": document,
            "title": title,
            "counted": COUNT_LIMIT + 1,
            "start": start,
            "size": size + 1,
        }
        return self.run(sql, arguments)

    def run(self, sql, arguments):
        """Run a search under the time limit, set for this one statement
        (in the same round trip) and put back after it; if it is cancelled,
        its implicit transaction takes the settings back with it. Sequential
        scans are off for it: the planner's guess of how many rows a word
        matches can be far off, and a scan for a word nobody wrote reads
        every article, where the GIN index answers at once."""
        limited = (
            f"SET statement_timeout = %(timeout)s; SET enable_seqscan = off; {sql};"
            " SET enable_seqscan TO DEFAULT; SET statement_timeout TO DEFAULT"
        )
        with connection.cursor() as cursor:
            try:
                cursor.execute(limited, {**arguments, "timeout": settings.SEARCH_TIMEOUT})
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

    def store(self, documents):
        """Write the words of each (article id, streams) to its FTS5 row."""
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_text WHERE rowid = %s", [(pk,) for pk, _ in documents]
            )
            cursor.executemany(
                "INSERT INTO search_text (rowid, title, lead, body) VALUES (%s, %s, %s, %s)",
                [(pk, *(text_of(streams[name]) for name in FIELDS)) for pk, streams in documents],
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
        params = {**params, "document": document, "counted": COUNT_LIMIT + 1}
        if query.has_long_phrases:
            return self.find_phrases(query, where, params, start, size)
        sql = (
            "SELECT e.article_id,"
            " CASE WHEN e.article_id IN"
            " (SELECT rowid FROM search_text WHERE search_text MATCH %(title)s)"
            " THEN 0 ELSE 1 END AS tier,"
            " (SELECT count(*) FROM (SELECT 1 FROM search_text JOIN search_entry e"
            " ON e.article_id = search_text.rowid WHERE search_text MATCH %(document)s"
            f" AND {where} LIMIT %(counted)s)), 1"
            " FROM search_text JOIN search_entry e ON e.article_id = search_text.rowid"
            f" WHERE search_text MATCH %(document)s AND {where}"
            " ORDER BY tier, e.published_at DESC, e.article_id DESC LIMIT %(size)s OFFSET %(start)s"
        )
        return self.run(sql, {**params, "title": title, "size": size + 1, "start": start})

    def find_phrases(self, query, where, params, start, size):
        """Phrases are checked on the newest COUNT_LIMIT articles that have
        their words: beyond those, a reader is told "more than"."""
        sql = (
            "SELECT e.article_id, search_text.title, search_text.lead, search_text.body"
            " FROM search_text JOIN search_entry e ON e.article_id = search_text.rowid"
            f" WHERE search_text MATCH %(document)s AND {where}"
            " ORDER BY e.published_at DESC, e.article_id DESC LIMIT %(counted)s"
        )
        wanted = [phrase_pattern(phrase) for phrase in query.include]
        unwanted = [phrase_pattern(phrase) for phrase in query.exclude]
        found, rows = [], self.run(sql, params)
        for article_id, *texts in rows:
            if all(any(p.search(t) for t in texts) for p in wanted) and not any(
                p.search(t) for p in unwanted for t in texts
            ):
                in_title = all(p.search(texts[0]) for p in wanted)
                found.append((0 if in_title else 1, article_id))
        total = len(found)
        found.sort(key=lambda item: item[0])  # stable: newest first in each tier
        complete = len(rows) <= COUNT_LIMIT
        page = found[start : start + size + 1]
        return [(article_id, tier, total, complete) for tier, article_id in page]

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
