#!/usr/bin/env python
"""A live page under load: the production server with Varnish in front and
the purge worker, the 10,000-article archive, and an editor posting an
update every 10 s while 100 connections read the live page, ask what is new
and read the rest of the site, without pause. Prints, for each kind of
request, the errors, p50 and p99, and Varnish's hit ratio; how long each
update took to reach every connection; and the rest of the site's hit ratio
with and without updates. Then the same straight to gunicorn (its own page
cache). Run it with `make bench-live`.
"""

import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from run import PORT, PYTHON, ROOT, production_environment, run, set_up_site, varnish_in_front

from tests.servers import AppServer, Browser, free_port

CONNECTIONS = 100
SECONDS = int(os.environ.get("LIVE_SECONDS", "60"))
QUIET_SECONDS = int(os.environ.get("LIVE_QUIET_SECONDS", "20"))
UPDATE_EVERY = 10  # seconds between the editor's updates
# Of the connections: reading the live page, asking what is new, the rest.
SHARE = {"live page": 0.45, "what's new": 0.45, "rest of site": 0.10}
VISIBLE_WITHIN = 5  # seconds, with the page's script asking every POLL_SECONDS (live/page.py)
EDITOR = ("live-editor", "Онлайн-2026-редактор")
SETUP = """
from articles.models import Article
from live.models import LiveCoverage, Update
story = Article.objects.get(pk=1)
LiveCoverage.objects.create(article=story, is_live=True)
first = Update.objects.create(article=story, title="Початок", body="<p>Трансляція почалася.</p>")
others = Article.objects.published().exclude(pk=1).order_by("-published_at")[:200]
from live.page import POLL_SECONDS
print("LIVE", story.pk, story.get_absolute_url(), first.pk, POLL_SECONDS)
for article in others:
    print("OTHER", article.get_absolute_url())
"""
GENERATION = "from articles.cache import content_generation; print(content_generation())"
NEWEST = re.compile(rb'data-latest="(\d+)"')
UPDATE_ID = re.compile(rb'id="update-(\d+)"')


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times, self.errors, self.hits = [], 0, 0

    def add(self, seconds, ok, hit):
        with self.lock:
            self.times.append(seconds)
            self.errors += not ok
            self.hits += hit

    def figures(self, seconds):
        times = sorted(self.times) or [0]
        return {
            "requests": len(self.times),
            "errors": self.errors,
            "rps": len(self.times) / seconds,
            "p50": times[len(times) // 2] * 1000,
            "p99": times[int(len(times) * 0.99)] * 1000,
            "hit ratio": self.hits / max(1, len(self.times)),
        }


class Run:
    """One phase: connections of each kind, the updates posted and when
    each connection first saw each of them."""

    def __init__(self, base, live, others):
        self.base, self.others = base, others
        self.article_pk, self.live_path, self.newest = live
        self.stats = {kind: Stats() for kind in SHARE}
        self.posted = {}  # update id -> time posted
        self.seen = {}  # (connection, update id) -> time first seen
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def connection(self, number, kind):
        host, port = self.base.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        newest, n = self.newest, number
        while not self.stop.is_set():
            if kind == "live page":
                path = self.live_path
            elif kind == "what's new":
                path = f"/live/{self.article_pk}/after/{newest}/"
            else:
                n += 1
                path = self.others[n % len(self.others)]
            started = time.monotonic()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                ok = response.status == 200
                hit = len((response.getheader("X-Varnish") or "").split()) == 2
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=10)
                body, ok, hit = b"", False, False
            now = time.monotonic()
            self.stats[kind].add(now - started, ok, hit)
            if kind == "what's new" and (found := NEWEST.search(body)):
                newest = int(found.group(1))
            if kind != "rest of site":
                for update in map(int, UPDATE_ID.findall(body)):
                    self.seen.setdefault((number, update), now)

    def editor(self, browser):
        while not self.stop.wait(UPDATE_EVERY):
            number = len(self.posted) + 1
            _, _, page = browser.get(f"/admin/live/livecoverage/{self.article_pk}/change/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            status, _, answer = browser.request(
                f"/admin/live/livecoverage/{self.article_pk}/updates/",
                data={
                    "csrfmiddlewaretoken": token,
                    "update-title": f"Оновлення {number}",
                    "update-body": f"<p>Текст оновлення {number}.</p>",
                },
                headers={"Accept": "application/json"},
            )
            posted = time.monotonic()
            if status != 200:
                print(f"  the editor's update {number} was refused: {status}", flush=True)
                continue
            update = int(re.search(r'data-update=\\?"(\d+)', answer).group(1))
            self.posted[update] = posted

    def go(self, seconds, browser=None):
        kinds = [kind for kind, share in SHARE.items() for _ in range(round(share * CONNECTIONS))]
        threads = [
            threading.Thread(target=self.connection, args=(n, kind), daemon=True)
            for n, kind in enumerate(kinds)
        ]
        if browser is not None:
            threads.append(threading.Thread(target=self.editor, args=(browser,), daemon=True))
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        self.stop.set()
        for thread in threads:
            thread.join(timeout=15)
        self.connections = dict(enumerate(kinds))
        return {kind: stats.figures(seconds) for kind, stats in self.stats.items()}

    def visibility(self, kind):
        """For each update: when the last connection of `kind` first saw it."""
        numbers = [n for n, k in self.connections.items() if k == kind]
        delays = []
        for update, posted in self.posted.items():
            seen = [self.seen.get((n, update)) for n in numbers]
            if None in seen:
                delays.append(float("inf"))  # some connection never saw it
            else:
                delays.append(max(seen) - posted)
        return delays


def manage(env, code):
    return run(PYTHON, "manage.py", "shell", "-c", code, env=env, capture_output=True).stdout


def main():
    if not shutil.which("varnishd"):
        sys.exit("The live benchmark needs Varnish: apt-get install varnish varnish-modules")
    work = Path(tempfile.mkdtemp(prefix="newsroom-live-"))
    work.chmod(0o755)  # Varnish reads its configuration there as its own user
    purge_port = free_port()
    env = production_environment(work) | {
        "WEB_CONCURRENCY": str(os.cpu_count()),
        "PURGE_URLS": f"http://127.0.0.1:{purge_port}/",
    }
    set_up_site(env, ROOT / "staticfiles", work)
    output = manage(env, SETUP)
    _, pk, path, first, poll_seconds = re.search(r"LIVE .+", output).group(0).split()
    poll_seconds = int(poll_seconds)
    others = re.findall(r"OTHER (\S+)", output)
    username, password = EDITOR
    run(
        PYTHON, "manage.py", "createsuperuser", "--noinput", "--username", username,
        "--email", "", env={**env, "DJANGO_SUPERUSER_PASSWORD": password},
    )  # fmt: skip
    server = AppServer(env, port=PORT)
    varnish, through_varnish = varnish_in_front(work, PORT, purge_port)
    deliver = subprocess.Popen(
        [PYTHON, "manage.py", "deliver"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    live = (int(pk), path, int(first))
    results, runs = {}, {}
    try:
        browser = Browser(server.base)
        browser.log_in(username, password)
        for name, base, seconds, posting in (
            ("Varnish, no updates", through_varnish, QUIET_SECONDS, False),
            ("Varnish, updates", through_varnish, SECONDS, True),
            ("gunicorn, updates", server.base, SECONDS, True),
        ):
            print(f"{name}: {seconds} s ...", flush=True)
            generation = manage(env, GENERATION).strip()
            runs[name] = Run(base, live, others)
            results[name] = runs[name].go(seconds, browser if posting else None)
            runs[name].generation_kept = manage(env, GENERATION).strip() == generation
            live = (live[0], live[1], max([live[2], *runs[name].posted]))
    finally:
        deliver.terminate()
        varnish.terminate()
        varnish.wait()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)

    print(f"\n{CONNECTIONS} connections without pause, {os.cpu_count()} cores; an update every")
    print(f"{UPDATE_EVERY} s; the page's script asks what is new every {poll_seconds} s")
    header = f"{'phase':<22}{'requests':<14}{'count':>9}{'errors':>8}{'req/s':>9}"
    print(header + f"{'p50 ms':>9}{'p99 ms':>9}{'hit ratio':>11}")
    for name, kinds in results.items():
        for kind, f in kinds.items():
            hits = f"{f['hit ratio']:.3f}" if name.startswith("Varnish") else "-"
            print(
                f"{name:<22}{kind:<14}{f['requests']:>9,}{f['errors']:>8}{f['rps']:>9,.0f}"
                f"{f['p50']:>9.2f}{f['p99']:>9.2f}{hits:>11}"
            )
    slowest = 0.0
    for name, phase in runs.items():
        if not phase.posted:
            continue
        for kind in ("what's new", "live page"):
            delays = phase.visibility(kind)
            slowest = max(slowest, *delays) if kind == "what's new" else slowest
            print(
                f"{name}: {len(delays)} updates reached every {kind!r} connection within "
                f"{max(delays):.2f} s (median {statistics.median(delays):.2f} s)"
            )
        print(f"{name}: content generation unchanged (no other page re-rendered): "
              f"{phase.generation_kept}")  # fmt: skip
    quiet = results["Varnish, no updates"]["rest of site"]["hit ratio"]
    busy = results["Varnish, updates"]["rest of site"]["hit ratio"]
    print(f"rest of the site's hit ratio in Varnish: {quiet:.3f} without updates, {busy:.3f} with")
    print(
        f"a reader's page asks every {poll_seconds} s: an update reaches it within "
        f"{slowest + poll_seconds:.2f} s at worst"
    )
    errors = sum(f["errors"] for kinds in results.values() for f in kinds.values())
    held = (
        errors == 0
        and slowest + poll_seconds <= VISIBLE_WITHIN
        and busy >= quiet - 0.01
        and all(phase.generation_kept for phase in runs.values())
    )
    sys.exit(0 if held else "The live page did not hold: see the figures above.")


if __name__ == "__main__":
    main()
