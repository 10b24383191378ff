"""Two app servers sharing one Redis: what an editor changes through one, or
from any other process, readers of the other see at once, on every page that
shows it. Each server keeps pages in its own memory too (RecentPages), so
this is the test that they never serve a copy the change made stale."""

import re

import pytest

from tests.servers import AppServer, manage, site_environment

HEADLINE = "Міністри оборони України та Франції обговорили посилення"
NEW_HEADLINE = "Заголовок змінено на іншому сервері"
EDITOR = ("chief", "Не-просто-пароль-2026")
SEED_URLS = """
from articles.models import Article
article = Article.objects.get(pk=1)
print(article.get_absolute_url())
print(article.section.get_absolute_url())
print(article.tags.get(slug="ppo").get_absolute_url())
print("/")
print("/rss/")
print("/atom/")
"""
EDIT_HEADLINE = f"""
from articles.models import Article
article = Article.objects.get(pk=1)
article.headline = "{NEW_HEADLINE}"
article.save()
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    environment = site_environment(tmp_path_factory.mktemp("shared-cache"))
    manage(environment, "migrate", "--noinput")
    manage(environment, "loaddata", "seed")
    editor = {**environment, "DJANGO_SUPERUSER_PASSWORD": EDITOR[1]}
    manage(editor, "createsuperuser", "--noinput", "--username", EDITOR[0], "--email", "")
    return environment, manage(environment, "shell", "--no-imports", "-c", SEED_URLS).split()


@pytest.fixture
def servers(site):
    first, second = AppServer(site[0]), AppServer(site[0])
    yield first, second
    first.stop()
    second.stop()


def read_all(server, urls):
    """Each page as readers get it, asked twice: the second answer is a copy."""
    pages = {}
    for url in urls:
        server.get(url)
        status, _, pages[url] = server.get(url)
        assert status == 200, url
    return pages


def test_an_edit_made_elsewhere_reaches_every_cached_page_of_a_server(site, servers):
    environment, urls = site
    _, reader_server = servers
    for url, page in read_all(reader_server, urls).items():
        assert HEADLINE in page, url

    manage(environment, "shell", "-c", EDIT_HEADLINE)  # another process, as a worker would

    for url, page in read_all(reader_server, urls).items():
        assert NEW_HEADLINE in page and HEADLINE not in page, url


def test_unpublishing_on_one_server_takes_the_story_off_the_other(site, servers):
    editor_server, reader_server = servers
    article_url, *listing_urls = site[1]
    read_all(reader_server, site[1])

    editor_server.log_in(*EDITOR)
    status, _, _ = editor_server.post_form(
        "/admin/articles/article/", {"action": "unpublish", "_selected_action": "1"}
    )
    assert status == 302

    assert reader_server.get(article_url)[0] == 404
    sitemaps = re.findall(
        r"<loc>http://127\.0\.0\.1:\d+(/[^<]+)</loc>", reader_server.get("/sitemap.xml")[2]
    )
    assert "/sitemap-articles-2025-01.xml" in sitemaps  # the seed's month
    for url in [*listing_urls, *sitemaps]:
        status, _, page = reader_server.get(url)
        # A tag page with nothing published is gone altogether.
        assert status == (404 if url.startswith("/tags/") else 200), url
        assert article_url not in page, url
