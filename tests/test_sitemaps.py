"""sitemap.xml, the Google News sitemap and robots.txt, parsed and checked."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest

from tests.factories import make_article, make_draft

pytestmark = pytest.mark.django_db
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "xml" in response["Content-Type"]
    return ElementTree.fromstring(response.content)


def locations(tree):
    return [loc.text for loc in tree.findall("sm:url/sm:loc", NS)]


def test_sitemap_lists_published_articles_sections_and_used_tags(seed, client):
    draft = make_draft()
    urls = locations(xml(client, "/sitemap.xml"))
    assert f"http://testserver{seed.get_absolute_url()}" in urls
    assert "http://testserver/sections/oborona/" in urls
    assert "http://testserver/tags/ppo/" in urls
    assert f"http://testserver{draft.get_absolute_url()}" not in urls
    assert len([u for u in urls if "/news/" in u]) == 4


def test_sitemap_gives_each_article_its_last_change(seed, client):
    tree = xml(client, "/sitemap.xml")
    entry = next(
        url
        for url in tree.findall("sm:url", NS)
        if url.find("sm:loc", NS).text.endswith(seed.get_absolute_url())
    )
    assert entry.find("sm:lastmod", NS).text == seed.updated_at.date().isoformat()


def test_news_sitemap_holds_the_last_48_hours(client):
    fresh = make_article("Свіжа новина", ago=timedelta(hours=47))
    make_article("Давня новина", ago=timedelta(hours=49))
    make_draft("Чернетка")
    tree = xml(client, "/sitemap-news.xml")
    [url] = tree.findall("sm:url", NS)
    assert url.find("sm:loc", NS).text == f"http://testserver{fresh.get_absolute_url()}"
    news = url.find("news:news", NS)
    assert news.find("news:publication/news:name", NS).text == "Newsroom"
    assert news.find("news:publication/news:language", NS).text == "uk"
    assert news.find("news:title", NS).text == "Свіжа новина"
    assert news.find("news:publication_date", NS).text.endswith(("+02:00", "+03:00"))


def test_robots_txt_points_at_the_sitemaps_and_keeps_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
