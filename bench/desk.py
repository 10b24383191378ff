#!/usr/bin/env python
"""Benchmark: the desk's dashboard lists at 100,000 articles.

Fills a fresh database (a temporary SQLite file, or the PostgreSQL database
BENCH_DATABASE_URL names, which it empties first) with a generated archive,
spreads the desk's states and people over it, then times each list an
editor's and a reporter's dashboard runs (median of 30), next to the front
page's list of latest stories, measured in the same run as the baseline.
Run it with `make bench-desk`.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARCHIVE_SIZE = int(os.environ.get("BENCH_ARCHIVE", "100000"))
REPEATS = 30


def median_ms(run):
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    database = os.environ.get("BENCH_DATABASE_URL")
    workdir = tempfile.mkdtemp(prefix="desk-bench-")
    try:
        measure(database, workdir)
    finally:
        shutil.rmtree(workdir)  # the archive's database: some 80 MB


def measure(database, workdir):
    os.environ.update(DEBUG="1", DATABASE_URL=database or f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F

    from articles.archive import generate_archive
    from articles.models import Article, Author, Section
    from articles.roles import EDITOR, REPORTER
    from desk.dashboard import LIST_LENGTH, desk_queries
    from desk.models import Assignment

    if database:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    editor = User.objects.create_user("bench-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    reporter = User.objects.create_user("bench-reporter", is_staff=True)
    reporter.groups.add(Group.objects.get(name=REPORTER))
    sections = [Section.objects.create(name=f"Рубрика {n}", slug=f"rubryka-{n}") for n in range(8)]
    started = time.perf_counter()
    articles = generate_archive(ARCHIVE_SIZE, sections, Author.objects.create(name="А"), "Архів")
    ids = [article.pk for article in articles]
    # A newsroom's spread: a reporter's share, stories in review and sent
    # back, the editors' saves, assignments.
    # Edited when published (the archive's times are a minute apart).
    Article.objects.update(updated_at=F("published_at"))
    Article.objects.filter(pk__in=ids[::10]).update(created_by=reporter)
    Article.objects.filter(pk__in=ids[1::50]).update(status=Article.Status.IN_REVIEW)
    Article.objects.filter(pk__in=ids[2::70]).update(status=Article.Status.CHANGES_REQUESTED)
    Article.objects.filter(pk__in=ids[::3]).update(updated_by=editor)
    Assignment.objects.bulk_create(
        Assignment(article_id=pk, editor=editor, reporter=reporter) for pk in ids[5::200]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{ARCHIVE_SIZE:,} articles on {connection.vendor} in {time.perf_counter() - started:.0f} s"
    )

    baseline = median_ms(lambda: list(Article.objects.published()[:LIST_LENGTH]))
    print(f"\n{'list':<44}{'median ms':>10}{'÷ front':>9}")
    print(f"{'front page, latest (baseline)':<44}{baseline:>10.2f}{1:>9.1f}")
    for user in (editor, reporter):
        for title, query in desk_queries(user):
            took = median_ms(lambda query=query: list(query[:LIST_LENGTH]))
            name = f"{user.username}: {title}"
            print(f"{name:<44}{took:>10.2f}{took / baseline:>9.1f}")


if __name__ == "__main__":
    main()
