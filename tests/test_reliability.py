"""Graceful failure: with the database gone, readers still get the pages
already cached, a Ukrainian 503 page for the rest (never a trace), and the
health endpoint says what is down. The site recovers by itself."""

import json
import socket
import subprocess
import sys
import time

import pytest
from redis import Redis

from newsroom.redis_cache import RETRY_AFTER
from tests.servers import (
    PROJECT,
    AppServer,
    TcpProxy,
    free_port,
    manage,
    recreate_postgres_database,
    site_environment,
)

POSTGRES_PORT = 5432
DATABASE = "newsroom_reliability"
ARTICLE = (
    "/news/ministry-oborony-ukrainy-ta-frantsii-obhovoryly-posylennia-spivrobitnytstva"
    "-i-pidtrymky-u-paryzhi/"
)
NOT_YET_CACHED = "/sections/oborona/"


@pytest.fixture
def site_on_postgres(tmp_path):
    """The production server, its PostgreSQL reached through a proxy to cut."""
    recreate_postgres_database(f"postgres://postgres@127.0.0.1:{POSTGRES_PORT}", DATABASE)
    proxy = TcpProxy(POSTGRES_PORT)
    environment = site_environment(
        tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{proxy.port}/{DATABASE}"
    )
    manage(environment, "migrate", "--noinput")
    manage(environment, "loaddata", "seed")
    server = AppServer(environment)
    yield server, proxy
    server.stop()
    proxy.cut()


def health(server):
    status, _, body = server.get("/health/")
    return status, json.loads(body)


def test_with_the_database_down_cached_pages_stay_and_the_rest_is_a_503(site_on_postgres):
    server, proxy = site_on_postgres
    status, _, article_page = server.get(ARTICLE)
    assert status == 200
    assert health(server) == (200, {"database": "ok", "cache": "ok"})

    proxy.cut()

    assert server.get(ARTICLE)[::2] == (200, article_page)
    status, headers, page = server.get(NOT_YET_CACHED)
    assert status == 503
    assert "Сайт тимчасово недоступний" in page and "Traceback" not in page
    assert headers["Retry-After"] == "30"
    status, state = health(server)
    assert status == 503
    assert state["database"].startswith("unavailable") and state["cache"] == "ok"
    # Not ready, but alive: a load balancer keeps it (every node shares the
    # database, and the cache in front still answers what it holds).
    assert server.get("/health/alive/")[0] == 200

    restored = proxy.restored()
    try:
        assert server.get(NOT_YET_CACHED)[0] == 200
        assert health(server) == (200, {"database": "ok", "cache": "ok"})
    finally:
        restored.cut()


@pytest.fixture
def site_with_its_own_redis(tmp_path):
    """The production server on SQLite, reaching a Redis of its own through a
    proxy that the test cuts (Redis stopped, or the network between)."""
    redis_port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    proxy = None
    try:
        wait_for_port(redis_port)
        proxy = TcpProxy(redis_port)
        environment = site_environment(tmp_path, CACHE_URL=f"redis://127.0.0.1:{proxy.port}/0")
        manage(environment, "migrate", "--noinput")
        manage(environment, "loaddata", "seed")
        server = AppServer(environment)
        yield server, proxy, environment, Redis(port=redis_port)
        server.stop()
    finally:
        if proxy:
            proxy.cut()
        redis.terminate()
        redis.wait(timeout=10)


def wait_for_port(port):
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"nothing listens on {port}"
            time.sleep(0.1)


def test_without_redis_pages_are_rendered_fresh_and_nothing_stale_comes_back(
    site_with_its_own_redis,
):
    server, proxy, environment, redis = site_with_its_own_redis
    redis.flushall()  # as a restarted or evicting Redis: the generation is gone
    status, _, page = server.get(ARTICLE)
    assert status == 200 and HEADLINE in page
    assert redis.keys("*newsroom:page:*"), "the page is kept all the same"
    assert health(server) == (200, {"database": "ok", "cache": "ok"})

    proxy.cut()
    for url in (ARTICLE, NOT_YET_CACHED, "/", "/rss/"):
        assert server.get(url)[0] == 200, url
    status, state = health(server)
    assert status == 503 and state["cache"].startswith("unavailable")
    assert state["database"] == "ok"

    # An editor's change while Redis is cut off cannot be announced there.
    manage(environment, "shell", "-c", RENAME_THE_STORY)
    assert NEW_HEADLINE in server.get(ARTICLE)[2]

    restored = proxy.restored()
    try:
        # Redis still holds the copy from before: it must not be served.
        status, _, page = server.get(ARTICLE)
        assert status == 200 and NEW_HEADLINE in page and HEADLINE not in page
        time.sleep(RETRY_AFTER)  # Redis is left alone that long after failing
        assert health(server) == (200, {"database": "ok", "cache": "ok"})
        status, _, page = server.get(ARTICLE)
        assert status == 200 and NEW_HEADLINE in page and HEADLINE not in page
    finally:
        restored.cut()


HEADLINE = "Міністри оборони України та Франції обговорили"
NEW_HEADLINE = "Міністри оборони домовилися про нові поставки"
RENAME_THE_STORY = (
    "from articles.models import Article\n"
    "story = Article.objects.get(pk=1)\n"
    f"story.headline = {NEW_HEADLINE!r}\n"
    "story.save()\n"
)

# A view that fails, on the production settings: what reaches stderr?
FAILING_REQUEST = """
import django
django.setup()
from django.test import Client, override_settings
from django.urls import path

def fails(request):
    raise RuntimeError("a bug that must reach the log")

urlpatterns = [path("fails/", fails)]
with override_settings(ROOT_URLCONF="__main__"):
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    print(client.get("/fails/").status_code)
"""


def test_a_server_error_writes_its_traceback_to_stderr(tmp_path):
    environment = site_environment(tmp_path, DJANGO_SETTINGS_MODULE="newsroom.settings")
    result = subprocess.run(
        [sys.executable, "-c", FAILING_REQUEST],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "500"
    assert "Internal Server Error: /fails/" in result.stderr
    assert "Traceback" in result.stderr and "a bug that must reach the log" in result.stderr
