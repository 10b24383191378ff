#!/usr/bin/env python
"""Load held: the production server on PostgreSQL with the 10,000-article
archive, 100 wrk connections for 60 s on the seed story, warm (page cache)
then cold (every request rendered afresh), while an editor keeps saving that
same story through the admin. Prints wrk's figures and the editor's: every
save acknowledged must be in the database, in order. Run it with `make load`.
"""

import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from run import (
    COLD_SCRIPT,
    PORT,
    PYTHON,
    ROOT,
    production_environment,
    run,
    set_up_site,
    wrk,
)

from tests.servers import AppServer, Browser, recreate_postgres_database

CONNECTIONS = 100
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
DATABASE = "newsroom_load"
POSTGRES = os.environ.get("LOAD_POSTGRES", "postgres://postgres@127.0.0.1:5432")
EDITOR = ("load-editor", "Навантаження-2026-редактор")
EDITOR_PAUSE = 0.5  # seconds between saves, about an editor's fastest
SAVED_STATE = """
from reversion.models import Version
from articles.models import Article
print("HEADLINE", Article.objects.get(pk=1).headline)
print("VERSIONS", Version.objects.get_for_object(Article.objects.get(pk=1)).count())
"""


class Editor(threading.Thread):
    """Logs in to the admin and saves the seed story again and again, each
    time with a new headline, until told to stop."""

    def __init__(self, base):
        super().__init__(daemon=True)
        self.browser = Browser(base)
        self.stop = threading.Event()
        self.acknowledged, self.failed = [], []

    def run(self):
        self.browser.log_in(*EDITOR)
        number = 0
        while not self.stop.is_set():
            number += 1
            headline = f"Міністри оборони зустрілися в Парижі, правка {number}"
            try:
                status, _, _ = self.browser.submit_form(
                    "/admin/articles/article/1/change/",
                    "article_form",
                    {"headline": headline, "_save": "1"},
                )
                # A save redirects to the list; a refused one shows the form again.
                if status == 302:
                    self.acknowledged.append(headline)
                else:
                    self.failed.append(f"{headline}: answered {status}")
            except OSError as error:
                self.failed.append(f"{headline}: {error}")
            time.sleep(EDITOR_PAUSE)


def saved_state(env):
    output = run(
        PYTHON, "manage.py", "shell", "-c", SAVED_STATE, env=env, capture_output=True
    ).stdout
    return re.search(r"HEADLINE (.+)", output)[1], int(re.search(r"VERSIONS (\d+)", output)[1])


def main():
    if not shutil.which("wrk"):
        sys.exit("The load test needs wrk: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="newsroom-load-"))
    recreate_postgres_database(POSTGRES, DATABASE)
    env = production_environment(work, database_url=f"{POSTGRES}/{DATABASE}")
    article_path, _ = set_up_site(env, ROOT / "staticfiles")
    username, password = EDITOR
    run(
        PYTHON,
        "manage.py",
        "createsuperuser",
        "--noinput",
        "--username",
        username,
        "--email",
        "",
        env={**env, "DJANGO_SUPERUSER_PASSWORD": password},
    )
    _, versions_before = saved_state(env)
    server = AppServer(env, port=PORT)
    base = server.base
    cold_script = work / "cold.lua"
    cold_script.write_text(COLD_SCRIPT)
    results, editors = {}, []
    try:
        for name, script in (("warm", None), ("cold", str(cold_script))):
            editor = Editor(base)
            editor.start()
            results[name] = wrk(base + article_path, script, CONNECTIONS, SECONDS)
            editor.stop.set()
            editor.join()
            editors.append(editor)
    finally:
        server.stop()
    headline, versions_after = saved_state(env)
    shutil.rmtree(work, ignore_errors=True)

    print(f"\nwrk: {CONNECTIONS} connections, {SECONDS} s a line; {os.cpu_count()} cores")
    print(f"{'article page':<14}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}", end="")
    print(f"{'non-2xx/3xx':>13}{'socket errors':>15}")
    for name, figures in results.items():
        print(
            f"{name:<14}{figures['requests']:>10,}{figures['rps']:>9,.0f}{figures['p50']:>9.1f}"
            f"{figures['p99']:>9.1f}{figures['non-2xx/3xx']:>13}{figures['socket errors']:>15}"
        )
    acknowledged = [saved for editor in editors for saved in editor.acknowledged]
    failed = [failure for editor in editors for failure in editor.failed]
    last_saved = acknowledged[-1] if acknowledged else None
    lost = versions_after - versions_before != len(acknowledged) or headline != last_saved
    print(
        f"\neditor saves meanwhile: {len(acknowledged)} acknowledged, {len(failed)} refused or "
        f"failed, {versions_after - versions_before} new versions in the history; last headline "
        f"in the database {'is NOT' if lost else 'is'} the last one saved"
    )
    for failure in failed[:5]:
        print("  failed:", failure)
    clean = not lost and not failed
    clean = clean and all(f["non-2xx/3xx"] + f["socket errors"] == 0 for f in results.values())
    sys.exit(0 if clean else "Load not held: see the figures above.")


if __name__ == "__main__":
    main()
