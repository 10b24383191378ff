"""Graceful failure: with the database gone, readers still get the pages
already cached, a Ukrainian 503 page for the rest (never a trace), and the
health endpoint says what is down. The site recovers by itself."""

import json

import pytest

from tests.servers import (
    AppServer,
    TcpProxy,
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

    restored = proxy.restored()
    try:
        assert server.get(NOT_YET_CACHED)[0] == 200
        assert health(server) == (200, {"database": "ok", "cache": "ok"})
    finally:
        restored.cut()
