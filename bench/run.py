#!/usr/bin/env python
"""Benchmark: the production server on 127.0.0.1 with a 10,000-article archive.

First, in-process: the time to render an article page nobody has asked for
yet (median and p95 over RENDERS different articles), and the first render
after an edit. Then through gunicorn, with wrk: the long tail (every request
a different article page, so every request a render), the article, front
and tag pages cold (every request a fresh render) and warm (served from
the cache), next to the article page's own HTML served as a static file by
the same server in the same run, and the ratio page/static. Also memory per
worker and the article page's weight. Run it with `make bench`.
"""

import contextlib
import gzip
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))
from tests.cluster import varnish_command  # noqa: E402
from tests.servers import AppServer, free_port  # noqa: E402  (needs ROOT on the path)

PORT = int(os.environ.get("BENCH_PORT", "8765"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
THREADS = 2  # wrk's, at most
ARCHIVE_SIZE = 10_000
RENDERS = 200
RENDERS_AFTER_CHANGE = 50
SETTLE_SECONDS = 1
STATIC_COPY = "bench/article.html"  # under STATIC_ROOT, served by whitenoise
# Every request a different search term, which the article, front and tag
# pages do not read: such a request is rendered and never kept (see
# cache.cached_page), so every request is a fresh render. The thread's number
# and the run's start time keep threads and runs apart.
COLD_SCRIPT = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  prefix = id .. "-" .. os.time()
  counter = 0
end
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "?q=" .. prefix .. "-" .. counter)
end
"""
# Every request a different article page, so every request a render: each
# thread walks its own share of the round's addresses (one a line in the file
# given as the first argument) and never asks one twice. done() tells how many
# were asked and whether a thread ran out of addresses (then its last one was
# asked again, from the cache, and the line is not to be trusted).
LONG_TAIL_SCRIPT = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args)
  local count = tonumber(args[2])
  local paths = {}
  for line in io.lines(args[1]) do table.insert(paths, line) end
  mine = {}
  for n = 1, #paths do
    if n % count == id - 1 then table.insert(mine, paths[n]) end
  end
  sent, ran_out = 0, 0
end
request = function()
  sent = sent + 1
  if sent > #mine then ran_out = 1 end
  return wrk.format(nil, mine[math.min(sent, #mine)])
end
function done(summary, latency, requests)
  local sent, ran_out = 0, 0
  for _, thread in ipairs(threads) do
    sent = sent + thread:get("sent")
    ran_out = ran_out + thread:get("ran_out")
  end
  io.write(string.format("LONG_TAIL sent %d ran_out %d\\n", sent, ran_out))
end
"""

NEW_GENERATION = "from articles.cache import new_generation; new_generation()"

SETUP = f"""
import statistics, time
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from articles.archive import generate_archive
from articles.cache import new_generation
from articles.models import Article, Author, Section

call_command("loaddata", "seed", verbosity=0)
author, _ = Author.objects.get_or_create(name="Архівний автор", slug="arkhivnyi-avtor")
generate_archive({ARCHIVE_SIZE}, list(Section.objects.all()), author, tag_name="ППО")
client = Client(HTTP_HOST="127.0.0.1:{PORT}")
article = Article.objects.get(pk=1)
print("ARTICLE", article.get_absolute_url())
with open("{{static_root}}/{STATIC_COPY}", "wb") as copy:
    copy.write(client.get(article.get_absolute_url()).content)
others = Article.objects.published().exclude(pk=article.pk).order_by("-published_at")
paths = [story.get_absolute_url() for story in others]
rendered, long_tail = paths[:{RENDERS} + 10], paths[{RENDERS} + 10:]
with open("{{work}}/long-tail.txt", "w") as addresses:
    addresses.write("\\n".join(long_tail))


def render_time(path):
    start = time.perf_counter()
    assert client.get(path).status_code == 200
    return (time.perf_counter() - start) * 1000


# Pages nobody has asked for yet, each a different article: what the whole
# site shares (navigation, sidebar, breaking news) made once, the first ten.
cache.clear()
for path in rendered[:10]:
    render_time(path)
renders = sorted(render_time(path) for path in rendered[10:])
print("COLD", statistics.median(renders), renders[int(len(renders) * 0.95)])
# The first render after an edit: a new generation, the article page.
renders = []
for _ in range({RENDERS_AFTER_CHANGE}):
    new_generation()
    renders.append(render_time(article.get_absolute_url()))
print("AFTER_CHANGE", statistics.median(renders))
cache.clear()
"""


def run(*command, env, **kwargs):
    return subprocess.run(command, cwd=ROOT, env=env, check=True, text=True, **kwargs)


def milliseconds(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(url, script=None, connections=CONNECTIONS, seconds=SECONDS, args=()):
    threads = min(THREADS, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        command += ["-s", script]
    command += [url, *(["--", *args] if args else [])]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    # wrk leaves requests queued in the server when it stops; let the workers
    # finish them, so that they do not count against the next line.
    time.sleep(SETTLE_SECONDS)
    if "Requests/sec" not in output or "Latency Distribution" not in output:
        sys.exit(f"Unexpected wrk output for {url}:\n{output}")
    failures = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "output": output,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1)),
        "p99": milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non-2xx/3xx": int(failures.group(1)) if failures else 0,
        "socket errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
    }


def long_tail(base, script, addresses, env):
    """The long tail's line. A new content generation first (as an edit
    makes), so that no page an earlier round asked for is kept."""
    run(PYTHON, "manage.py", "shell", "-c", NEW_GENERATION, env=env, capture_output=True)
    figures = wrk(base + "/", script, args=(addresses, str(THREADS)))
    sent, ran_out = map(
        int, re.search(r"LONG_TAIL sent (\d+) ran_out (\d+)", figures["output"]).groups()
    )
    if ran_out:
        sys.exit(f"The long tail ran out of addresses after {sent:,}: give the archive more.")
    return figures | {"pages": sent}


def medians(runs):
    """One line's figures over its rounds: the median of each, errors summed."""
    figures = {key: statistics.median(run[key] for run in runs) for key in ("rps", "p50", "p99")}
    for key in ("requests", "non-2xx/3xx", "socket errors"):
        figures[key] = sum(run[key] for run in runs)
    if "pages" in runs[0]:
        figures["pages"] = min(run["pages"] for run in runs)
    return figures


def worker_memory(master_pid):
    children = subprocess.run(
        ["ps", "--ppid", str(master_pid), "-o", "pid="], capture_output=True, text=True
    ).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sizes


def page_weight(html, static_root):
    """The article page's HTML, and the CSS and JS it links to, as sent
    compressed (gzip -6 for the HTML, as a proxy would; whitenoise's own .br
    files for the rest)."""
    html_size = len(gzip.compress(html, compresslevel=6))
    text = html.decode()

    def linked(pattern):
        return sum(
            (static_root / f"{name}.br").stat().st_size for name in re.findall(pattern, text)
        )

    css_size = linked(r'<link[^>]+rel="stylesheet"[^>]+href="/static/([^"]+)"')
    js_size = linked(r'<script[^>]+src="/static/([^"]+)"')
    return html_size, css_size, js_size


def production_environment(work, database_url=None):
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "0",  # plain HTTP on 127.0.0.1, as behind a TLS-ending proxy
        "DATABASE_URL": database_url or f"sqlite:///{work}/bench.sqlite3",
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13"),
        "MEDIA_ROOT": str(work / "media"),
    }


def set_up_site(env, static_root, work):
    """Static files, the seed and the archive; the seed story's address."""
    print(f"Setting up: {ARCHIVE_SIZE:,} articles ...", flush=True)
    run(PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0", env=env)
    (static_root / "bench").mkdir(exist_ok=True)
    run(PYTHON, "manage.py", "migrate", "--verbosity", "0", env=env)
    setup = run(
        PYTHON,
        "manage.py",
        "shell",
        "-c",
        SETUP.replace("{static_root}", str(static_root)).replace("{work}", str(work)),
        env=env,
        capture_output=True,
    )
    figures = {
        name: [float(value) for value in re.search(rf"{name} (.+)", setup.stdout).group(1).split()]
        for name in ("COLD", "AFTER_CHANGE")
    }
    return re.search(r"ARTICLE (\S+)", setup.stdout).group(1), figures


def varnish_in_front(work, port, purge_port=None):
    """Varnish (deploy/varnish/newsroom.vcl) before the server on `port`,
    taking purges on `purge_port`: its process and address."""
    if not shutil.which("varnishd"):
        sys.exit("The benchmark needs Varnish: apt-get install varnish varnish-modules")
    address = free_port()
    process = subprocess.Popen(
        varnish_command(work, {"A": port}, address, purge_port or free_port(), free_port()),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{address}"
    for _ in range(100):
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(base + "/health/alive/").status == 200:
                return process, base
        time.sleep(0.2)
    process.kill()
    sys.exit("Varnish did not start in front of the benchmark's server.")


def main():
    if not shutil.which("wrk"):
        sys.exit("The benchmark needs wrk: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    work.chmod(0o755)  # Varnish reads its configuration there as its own user
    # As the comparison with Wagtail ran: renders are CPU-bound, so one sync
    # worker per core.
    workers = os.environ.get("BENCH_WORKERS", str(os.cpu_count()))
    env = production_environment(work) | {"WEB_CONCURRENCY": workers}
    static_root = ROOT / "staticfiles"
    article_path, in_process = set_up_site(env, static_root, work)
    server = AppServer(env, port=PORT)  # the port is in the static copy's links
    base = server.base
    varnish, through_varnish = varnish_in_front(work, PORT)
    try:
        cold_script, long_tail_script = work / "cold.lua", work / "long-tail.lua"
        cold_script.write_text(COLD_SCRIPT)
        long_tail_script.write_text(LONG_TAIL_SCRIPT)
        pages = {"article": article_path, "front": "/", "tag": "/tags/ppo/"}
        # Every worker imports, compiles its templates and connects first:
        # "cold" below means an empty page cache, not a process starting.
        for path in pages.values():
            wrk(base + path, str(cold_script), seconds=2)
        lines = {
            "static copy": lambda: wrk(f"{base}/static/{STATIC_COPY}"),
            # What readers get behind Varnish: the article page from its memory.
            "article via Varnish": lambda: wrk(through_varnish + article_path),
            "article long tail": lambda: long_tail(
                base, str(long_tail_script), str(work / "long-tail.txt"), env
            ),
            # One connection: the time a fresh render takes, without queueing.
            "article cold, 1 conn": lambda: wrk(base + article_path, str(cold_script), 1),
        }
        for name, path in pages.items():
            lines[f"{name} cold"] = lambda path=path: wrk(base + path, str(cold_script))
            lines[f"{name} warm"] = lambda path=path: wrk(base + path)
        # Every line is measured once a round; a shared machine's speed drifts,
        # so each figure is the median of its rounds.
        rounds = [{name: line() for name, line in lines.items()} for _ in range(ROUNDS)]
        results = {name: medians([run[name] for run in rounds]) for name in lines}
        memory = worker_memory(server.process.pid)
        html = (static_root / STATIC_COPY).read_bytes()
        served = urllib.request.urlopen(base + article_path).read()
        if served != html:
            (ROOT / "bench" / "served.html").write_bytes(served)
            sys.exit(
                f"The static copy ({STATIC_COPY}) is not the page served: see bench/served.html"
            )
    finally:
        varnish.terminate()
        varnish.wait()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"\nwrk: {CONNECTIONS} connections unless said, {SECONDS} s a line, median of {ROUNDS} "
        f"rounds; {os.cpu_count()} cores"
    )
    print(
        f"{'page':<22}{'requests/s':>12}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'page/static':>13}"
    )
    static_rps = results["static copy"]["rps"]
    for name, figures in results.items():
        ratio = figures["rps"] / static_rps
        print(
            f"{name:<22}{figures['rps']:>12,.0f}{figures['p50']:>9.2f}{figures['p99']:>9.2f}"
            f"{figures['non-2xx/3xx'] + figures['socket errors']:>8}{ratio:>13.2f}"
        )
    cold_median, cold_p95 = in_process["COLD"]
    (after_change,) = in_process["AFTER_CHANGE"]
    pages = results["article long tail"]["pages"]
    print(
        f"long tail: every request a different article page ({pages:,}"
        " or more a round), so each a\nrender; cold: a parameter the page does not read, so it is"
        " rendered and never kept.\n"
        "What every page shows of the whole site (navigation, sidebar, breaking news) is read\n"
        "once per content generation.\n"
        f"\nIn-process, an article page nobody has asked for yet: p50 {cold_median:.2f} ms, "
        f"p95 {cold_p95:.2f} ms ({RENDERS} different articles).\n"
        f"The first render after an edit: p50 {after_change:.2f} ms "
        f"(article page, {RENDERS_AFTER_CHANGE} renders)."
    )
    html_size, css_size, js_size = page_weight(html, static_root)
    print(
        f"\nworkers: {len(memory)}, memory per worker (RSS): "
        + ", ".join(f"{m:.0f} MB" for m in memory)
    )
    print(
        f"article page weight, compressed: HTML {html_size / 1024:.1f} KB + CSS "
        f"{css_size / 1024:.1f} KB + JS {js_size / 1024:.1f} KB = "
        f"{(html_size + css_size + js_size) / 1024:.1f} KB"
    )
    failed = sum(f["non-2xx/3xx"] + f["socket errors"] for f in results.values())
    if failed:
        sys.exit(f"{failed} requests failed: the figures above are not to be trusted.")


if __name__ == "__main__":
    main()
