"""sitemap.xml, the Google News sitemap and robots.txt, parsed and checked."""

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_draft, make_section

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


def every_url(client):
    """The URLs of every sitemap that sitemap.xml, an index, names."""
    index = xml(client, "/sitemap.xml")
    sitemaps = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    return [url for sitemap in sitemaps for url in locations(xml(client, sitemap))]


def test_sitemap_lists_published_articles_sections_and_used_tags(seed, client):
    draft = make_draft()
    urls = every_url(client)
    assert f"http://testserver{seed.get_absolute_url()}" in urls
    assert "http://testserver/sections/oborona/" in urls
    assert "http://testserver/tags/ppo/" in urls
    assert f"http://testserver{draft.get_absolute_url()}" not in urls
    assert len([u for u in urls if "/news/" in u]) == 4


def test_sitemap_lists_every_published_article_of_a_large_archive(client):
    section = make_section()
    published_at = datetime(2019, 12, 31, 23, 59, tzinfo=timezone.get_current_timezone())
    count = 1_200
    Article.objects.bulk_create(
        Article(
            headline=f"Новина {n}",
            slug=f"novyna-{n}",
            lead="Лід.",
            body="<p>Текст.</p>",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=published_at - timedelta(hours=n * 6),
        )
        for n in range(count)
    )
    urls = every_url(client)
    assert len({u for u in urls if "/news/" in u}) == count
    sitemaps = [loc.text for loc in xml(client, "/sitemap.xml").findall("sm:sitemap/sm:loc", NS)]
    assert len(sitemaps) == 2 + 10, "sections, tags, and the ten months that have articles"
    assert "http://testserver/news/novyna-0/" in urls  # the last minute of a year
    assert "http://testserver/news/novyna-1199/" in urls


def test_a_month_that_is_not_one_is_not_found(client):
    for section in ("articles-2025-13", "articles-0000-01", "articles-9999-12", "nothing"):
        assert client.get(f"/sitemap-{section}.xml").status_code == 404


def test_sitemap_gives_each_article_its_last_change(seed, client):
    month = f"/sitemap-articles-{timezone.localtime(seed.published_at):%Y-%m}.xml"
    tree = xml(client, month)
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
    assert news.find("news:publication/news:name", NS).text == "Редакція"
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
