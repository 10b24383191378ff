#!/usr/bin/env python
"""A live page under load: the production server with Varnish in front and
the purge worker, the 10,000-article archive, and an editor posting an
update every 10 s while 100 connections read the live page, ask what is new
and read the rest of the site, without pause: 96 of them wrk's (the load,
its p50 and p99, errors and Varnish's hit ratio by kind of request), 4 of
them this script's, which note when each update first reached them. Prints
those figures, and the rest of the site's hit ratio with and without
updates; then the same straight to gunicorn (its own page cache). Run it
with `make bench-live`.
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

from run import PORT, PYTHON, ROOT, production_environment, run, set_up_site, varnish_in_front, wrk

from tests.servers import AppServer, Browser, free_port

CONNECTIONS = 100
# This script's own connections, which measure how soon updates arrive.
WATCHERS = {"live page": 2, "what's new": 2}
SECONDS = int(os.environ.get("LIVE_SECONDS", "60"))
QUIET_SECONDS = int(os.environ.get("LIVE_QUIET_SECONDS", "20"))
UPDATE_EVERY = 10  # seconds between the editor's updates
KINDS = ("live page", "what's new", "rest of site")
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
# wrk's connections: of every 20 requests, 9 read the live page, 9 ask what
# is new after the newest update they know, 2 read another page of the site.
# Each answer is told by what it holds; done() sums each kind's figures.
LOAD_SCRIPT = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  live_path, since, newest = args[1], args[2], args[3]
  rest = {}
  for line in io.lines(args[4]) do rest[#rest + 1] = line end
  n = 0
  for _, kind in ipairs({"live", "new", "rest"}) do
    _G[kind .. "_n"], _G[kind .. "_hits"], _G[kind .. "_errors"] = 0, 0, 0
  end
end
request = function()
  n = n + 1
  local turn = n % 20
  if turn < 9 then return wrk.format("GET", live_path) end
  if turn < 18 then return wrk.format("GET", since .. newest .. "/") end
  return wrk.format("GET", rest[n % #rest + 1])
end
response = function(status, headers, body)
  local kind = "rest"
  if body:find('class="live-since"', 1, true) then
    kind = "new"
    local latest = body:match('data%-latest="(%d+)"')
    if latest and tonumber(latest) > tonumber(newest) then newest = latest end
  elseif body:find('id="live-stream"', 1, true) then
    kind = "live"
  end
  local varnish = headers["X-Varnish"] or ""
  _G[kind .. "_n"] = _G[kind .. "_n"] + 1
  if varnish:find(" ", 1, true) then _G[kind .. "_hits"] = _G[kind .. "_hits"] + 1 end
  if status ~= 200 then _G[kind .. "_errors"] = _G[kind .. "_errors"] + 1 end
end
function done(summary, latency, requests)
  for _, kind in ipairs({"live", "new", "rest"}) do
    local total, hits, errors = 0, 0, 0
    for _, thread in ipairs(threads) do
      total = total + thread:get(kind .. "_n")
      hits = hits + thread:get(kind .. "_hits")
      errors = errors + thread:get(kind .. "_errors")
    end
    io.write(string.format("KIND %s %d %d %d\\n", kind, total, hits, errors))
  end
end
"""
NEWEST = re.compile(rb'data-latest="(\d+)"')
UPDATE_ID = re.compile(rb'id="update-(\d+)"')


class Run:
    """One phase: wrk's load, this script's watching connections, the
    updates posted and when each watching connection first saw each."""

    def __init__(self, base, live, rest_file):
        self.base, self.rest_file = base, rest_file
        self.article_pk, self.live_path, self.newest = live
        self.posted = {}  # update id -> time posted
        self.seen = {}  # (connection, update id) -> time first seen
        self.errors = 0  # of the watching connections
        self.stop = threading.Event()

    def watch(self, number, kind):
        host, port = self.base.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        newest = self.newest
        while not self.stop.is_set():
            if kind == "live page":
                path = self.live_path
            else:
                path = f"/live/{self.article_pk}/after/{newest}/"
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                self.errors += response.status != 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=10)
                body, self.errors = b"", self.errors + 1
            now = time.monotonic()
            if kind == "what's new" and (found := NEWEST.search(body)):
                newest = int(found.group(1))
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

    def go(self, seconds, script, browser=None):
        self.watchers = [kind for kind, count in WATCHERS.items() for _ in range(count)]
        threads = [
            threading.Thread(target=self.watch, args=(n, kind), daemon=True)
            for n, kind in enumerate(self.watchers)
        ]
        if browser is not None:
            threads.append(threading.Thread(target=self.editor, args=(browser,), daemon=True))
        for thread in threads:
            thread.start()
        since = f"/live/{self.article_pk}/after/"
        load = wrk(
            self.base + self.live_path,
            script,
            CONNECTIONS - len(self.watchers),
            seconds,
            args=(self.live_path, since, str(self.newest), self.rest_file),
        )
        self.stop.set()
        for thread in threads:
            thread.join(timeout=15)
        kinds = {}
        for name, kind in zip(("live", "new", "rest"), KINDS, strict=True):
            total, hits, errors = map(
                int, re.search(rf"KIND {name} (\d+) (\d+) (\d+)", load["output"]).groups()
            )
            kinds[kind] = {"requests": total, "hit ratio": hits / max(1, total), "errors": errors}
        return load, kinds

    def visibility(self, kind):
        """For each update: when the last watching connection of `kind` first saw it."""
        numbers = [n for n, k in enumerate(self.watchers) if k == kind]
        delays = []
        for update, posted in self.posted.items():
            seen = [self.seen.get((n, update)) for n in numbers]
            delays.append(float("inf") if None in seen else max(seen) - posted)
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
    log = work / "gunicorn.log"  # its warnings: Redis too slow to answer, say
    server = AppServer(env, port=PORT, log=log.open("w"))
    varnish, through_varnish = varnish_in_front(work, PORT, purge_port)
    deliver = subprocess.Popen(
        [PYTHON, "manage.py", "deliver"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    script, rest_file = work / "live.lua", work / "rest.txt"
    script.write_text(LOAD_SCRIPT)
    rest_file.write_text("\n".join(others) + "\n")
    live = (int(pk), path, int(first))
    results, runs = {}, {}
    try:
        browser = Browser(server.base)
        browser.log_in(username, password)
        # Every page in Varnish once, so that "no updates" measures keeping them.
        for page in [path, *others]:
            Browser(through_varnish).get(page)
        for name, base, seconds, posting in (
            ("Varnish, no updates", through_varnish, QUIET_SECONDS, False),
            ("Varnish, updates", through_varnish, SECONDS, True),
            ("gunicorn, updates", server.base, SECONDS, True),
        ):
            print(f"{name}: {seconds} s ...", flush=True)
            generation = manage(env, GENERATION).strip()
            runs[name] = Run(base, live, str(rest_file))
            results[name] = runs[name].go(seconds, str(script), browser if posting else None)
            runs[name].generation_kept = manage(env, GENERATION).strip() == generation
            # A Redis call slower than its timeout (a saturated machine) puts a
            # node in doubt, and it starts a new generation once Redis answers.
            failures = log.read_text().count("Redis is unavailable")
            earlier = sum(getattr(phase, "redis_failures", 0) for phase in runs.values())
            runs[name].redis_failures = failures - earlier
            live = (live[0], live[1], max([live[2], *runs[name].posted]))
    finally:
        deliver.terminate()
        varnish.terminate()
        varnish.wait()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)

    watching = sum(WATCHERS.values())
    print(f"\n{CONNECTIONS - watching} wrk connections and {watching} watching ones, without")
    print(f"pause, {os.cpu_count()} cores; an update every {UPDATE_EVERY} s")
    print(f"{'phase':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}   {'requests':<14}"
          f"{'count':>9}{'errors':>8}{'hit ratio':>11}")  # fmt: skip
    for name, (load, kinds) in results.items():
        first_line = f"{name:<22}{load['rps']:>9,.0f}{load['p50']:>9.2f}{load['p99']:>9.2f}"
        for kind, f in kinds.items():
            hits = f"{f['hit ratio']:.3f}" if name.startswith("Varnish") else "-"
            print(f"{first_line:<49}   {kind:<14}{f['requests']:>9,}{f['errors']:>8}{hits:>11}")
            first_line = ""
    slowest = 0.0
    for name, phase in runs.items():
        if phase.errors:
            print(f"{name}: {phase.errors} errors on the watching connections")
        print(
            f"{name}: content generation unchanged (no other page re-rendered): "
            f"{phase.generation_kept}; Redis calls that failed: {phase.redis_failures}"
        )
        if not phase.posted:
            continue
        for kind in WATCHERS:
            delays = phase.visibility(kind)
            slowest = max(slowest, *delays) if kind == "what's new" else slowest
            print(
                f"{name}: {len(delays)} updates reached every {kind!r} watcher within "
                f"{max(delays):.2f} s (median {statistics.median(delays):.2f} s)"
            )
    quiet = results["Varnish, no updates"][1]["rest of site"]["hit ratio"]
    busy = results["Varnish, updates"][1]["rest of site"]["hit ratio"]
    print(f"rest of the site's hit ratio in Varnish: {quiet:.3f} without updates, {busy:.3f} with")
    print(
        f"a reader's page asks every {poll_seconds} s: an update reaches it within "
        f"{slowest + poll_seconds:.2f} s at worst"
    )
    errors = sum(load["non-2xx/3xx"] + load["socket errors"] for load, _ in results.values())
    errors += sum(phase.errors for phase in runs.values())
    held = (
        errors == 0
        and slowest + poll_seconds <= VISIBLE_WITHIN
        and busy >= quiet - 0.01
        and all(phase.generation_kept or phase.redis_failures for phase in runs.values())
    )
    sys.exit(0 if held else "The live page did not hold: see the figures above.")


if __name__ == "__main__":
    main()
