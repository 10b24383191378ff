#!/usr/bin/env python
"""Benchmark: site search at 100,000 articles.

Fills a fresh database (a temporary SQLite file, or the PostgreSQL database
BENCH_DATABASE_URL names, which it empties first) with articles written in
the words of the seed fixture, in their own proportions, and indexes them.
Then it times the search page, rendered in-process (p50 and p95 of 50), for
a rare word, the commonest word, one letter, 200 characters of text, a
phrase, an exclusion, a typo and a Russian spelling; next to the search as
it was before the search app (a prefix match ranked by a document built
anew for every matching row), measured on the same articles in the same run
(p50 of 3, stopped at BASELINE_LIMIT). Run it with `make bench-search`.
"""

import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from itertools import accumulate, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARCHIVE_SIZE = int(os.environ.get("BENCH_ARCHIVE", "100000"))
REPEATS = 50
BASELINE_REPEATS = 3
BASELINE_LIMIT = 30  # seconds: a query of the old search is stopped there
RARE_WORD, RARE_COUNT = "Залужний", 20  # in so many articles
BODY_WORDS, LEAD_WORDS, HEADLINE_WORDS = 250, 25, 8
LONG_QUERY = (
    "Міністр оборони України Рустем Умєров і його французький колега Себастьєн Лекорню "
    "обговорили посилення співробітництва, підтримку та постачання озброєння у Парижі під "
    "час зустрічі"
)[:200]
QUERIES = [
    ("rare word", RARE_WORD),
    ("commonest word", None),  # found in the text
    ("one letter", "в"),
    ("200 characters", LONG_QUERY),
    ("phrase", '"міністр оборони"'),
    ("exclusion", "оборони -Франції"),
    ("typo", "переговри"),
    ("Russian spelling", "министр"),
]
# The old search: the same two normalised columns and GIN expression index
# as articles/migrations/0002, and the query Django built for it.
OLD_DOCUMENT = {
    "postgresql": "setweight(to_tsvector('simple', coalesce(headline, '')), 'A')"
    " || setweight(to_tsvector('simple', coalesce(text, '')), 'B')",
}


def seed_words():
    """The words of the seed fixture's texts, as often as they occur there."""
    fixture = json.loads((ROOT / "fixtures" / "seed.json").read_text(encoding="utf-8"))
    text = " ".join(
        str(item["fields"].get(name, ""))
        for item in fixture
        for name in ("headline", "lead", "body")
    )
    return re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.sub(r"<[^>]+>", " ", text))


def percentiles(run, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1 if repeats >= 20 else -1]


def main():
    database = os.environ.get("BENCH_DATABASE_URL")
    workdir = tempfile.mkdtemp(prefix="search-bench-")
    try:
        measure(database, workdir)
    finally:
        shutil.rmtree(workdir)


def vocabulary(seed, rng):
    """Words in Zipf's proportions, as in any language's text: the seed's
    words first (by how often it uses them: its little words lead), then
    word forms from the dictionary, in a random order."""
    from search.terms import analyzer

    known = set(seed)
    dictionary = []
    for letter in "абвгдеєжзиіїйклмнопрстуфхцчшщюя":
        parses = islice(analyzer().iter_known_word_parses(letter), 0, 40_000, 10)
        dictionary += sorted({word for word, *_ in parses if "'" not in word} - known)
    rng.shuffle(dictionary)
    words = [word for word, _ in Counter(seed).most_common()] + dictionary
    return words, list(accumulate(1 / (rank + 2.7) for rank in range(len(words))))


def fill(seed, sections):
    from django.utils import timezone

    from articles.models import Article

    rng = random.Random(17)
    vocabulary_, cumulative = vocabulary(seed, rng)
    rare = set(rng.sample(range(ARCHIVE_SIZE), RARE_COUNT))
    now = timezone.now()

    def text(count):
        return " ".join(rng.choices(vocabulary_, cum_weights=cumulative, k=count))

    batch = []
    for n in range(ARCHIVE_SIZE):
        body = text(BODY_WORDS) + (f" {RARE_WORD} сказав." if n in rare else "")
        batch.append(
            Article(
                headline=text(HEADLINE_WORDS).capitalize(),
                slug=f"novyna-{n}",
                lead=text(LEAD_WORDS) + ".",
                body=f"<p>{body}.</p>",
                section=sections[n % len(sections)],
                status=Article.Status.PUBLISHED,
                published_at=now - (n + 1) * timedelta(minutes=7),
            )
        )
        if len(batch) == 5_000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    return vocabulary_[0]


def old_search_table(connection):
    """The old search's columns and index, filled from the articles."""
    from articles.models import Article
    from articles.text import normalize

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_old_search")
        cursor.execute(
            "CREATE TABLE bench_old_search (id integer PRIMARY KEY, headline text, text text,"
            " published_at timestamp with time zone)"
        )
        rows = Article.objects.values_list("pk", "headline", "lead", "body", "published_at")
        cursor.executemany(
            "INSERT INTO bench_old_search VALUES (%s, %s, %s, %s)",
            [
                (pk, normalize(headline), normalize(f"{lead} {body}"), published)
                for pk, headline, lead, body, published in rows.iterator(chunk_size=5_000)
            ],
        )
        if connection.vendor == "postgresql":
            document = OLD_DOCUMENT["postgresql"]
            cursor.execute(
                f"CREATE INDEX bench_old_idx ON bench_old_search USING gin (({document}))"
            )
        cursor.execute("ANALYZE")


def old_search(connection, query):
    """The old query: every word as a prefix (PostgreSQL) or a substring
    (SQLite), headline matches first (SQLite) or by rank (PostgreSQL)."""
    from articles.text import normalize

    words = re.findall(r"\w+", normalize(query[:200]))[:8]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            document = OLD_DOCUMENT["postgresql"]
            terms = " & ".join(f"{word}:*" for word in words)
            cursor.execute(f"SET statement_timeout = {BASELINE_LIMIT * 1000}")
            try:
                cursor.execute(
                    f"SELECT id FROM bench_old_search"
                    f" WHERE ({document}) @@ to_tsquery('simple', %s)"
                    f" ORDER BY ts_rank(({document}), to_tsquery('simple', %s)) DESC,"
                    " published_at DESC LIMIT 21",
                    [terms, terms],
                )
                return cursor.fetchall()
            finally:
                cursor.execute("SET statement_timeout TO DEFAULT")
        where = " AND ".join("(headline LIKE %s OR text LIKE %s)" for _ in words)
        in_headline = " AND ".join("headline LIKE %s" for _ in words)
        patterns = [f"%{word}%" for word in words]
        cursor.execute(
            f"SELECT id FROM bench_old_search WHERE {where}"
            f" ORDER BY CASE WHEN {in_headline} THEN 0 ELSE 1 END, published_at DESC LIMIT 21",
            [p for p in patterns for _ in (0, 1)] + patterns,
        )
        return cursor.fetchall()


def measure(database, workdir):
    os.environ.update(DEBUG="1", DATABASE_URL=database or f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import OperationalError, connection
    from django.test import RequestFactory

    from articles.models import Section
    from search.backends import backend
    from search.models import Entry
    from search.query import parse
    from search.results import RESULTS_PER_PAGE, Filters, conditions
    from search.views import SearchView

    if database and os.environ.get("BENCH_REUSE") and Entry.objects.count() == ARCHIVE_SIZE:
        # The articles of an earlier run, left in the database it names.
        commonest = vocabulary(seed_words(), random.Random(17))[0][0]
        print(f"{ARCHIVE_SIZE:,} articles on {connection.vendor}, as an earlier run left them")
    else:
        if database:
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        sections = [
            Section.objects.create(name=f"Рубрика {n}", slug=f"rubryka-{n}") for n in range(8)
        ]
        started = time.perf_counter()
        commonest = fill(seed_words(), sections)
        filled = time.perf_counter() - started
        started = time.perf_counter()
        call_command("search_index", verbosity=0)
        indexed = time.perf_counter() - started
        old_search_table(connection)
        print(
            f"{ARCHIVE_SIZE:,} articles on {connection.vendor}: written in {filled:.0f} s,"
            f" indexed in {indexed:.0f} s ({indexed / ARCHIVE_SIZE * 1000:.2f} ms an article)"
        )

    view, factory = SearchView.as_view(), RequestFactory(HTTP_HOST="127.0.0.1")

    def page(query):
        response = view(factory.get("/search/", {"q": query}))
        assert response.status_code == 200, (query, response.status_code)
        response.render()

    def matches(query):
        """The new search's statement alone, as old_search is the old one's."""
        return backend().find(parse(query), *conditions(Filters()), 0, RESULTS_PER_PAGE)

    print(
        f"\n{'':<18}{'the page':>18}{'its search':>12}{'the old search':>16}"
        f"\n{'query':<18}{'p50 ms':>9}{'p95 ms':>9}{'p50 ms':>12}{'p50 ms':>16}{'× faster':>10}"
    )
    for name, query in QUERIES:
        query = query or commonest
        page(query)  # the dictionary and the page's fragments are warm, as on a running site
        p50, p95 = percentiles(lambda query=query: page(query), REPEATS)
        statement = percentiles(lambda query=query: matches(query), REPEATS)[0]
        try:
            before = percentiles(
                lambda query=query: old_search(connection, query), BASELINE_REPEATS
            )[0]
            shown, ratio = f"{before:.1f}", f"{before / statement:.0f}"
        except OperationalError:
            shown, ratio = f"> {BASELINE_LIMIT * 1000}", "—"
        print(f"{name:<18}{p50:>9.1f}{p95:>9.1f}{statement:>12.1f}{shown:>16}{ratio:>10}")
    print(
        f"\n(the commonest word: {commonest!r}; p95 is the 48th of {REPEATS} in-process renders;"
        " the old search is its one statement, stopped after"
        f" {BASELINE_LIMIT} s, p50 of {BASELINE_REPEATS})"
    )


if __name__ == "__main__":
    main()
