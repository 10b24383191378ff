"""What search engines and social networks read: canonical URL, Open Graph,
Twitter card, and schema.org NewsArticle JSON-LD, checked field by field."""

import json
from datetime import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import ArticleNote
from tests.factories import make_article, make_author, make_draft

pytestmark = pytest.mark.django_db


def json_ld(page):
    [script] = page.select('script[type="application/ld+json"]')
    return json.loads(script.string)


def meta(page, key):
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag and tag["content"]


def test_seed_story_news_article(seed, soup_of, seed_lines):
    page = soup_of(seed.get_absolute_url())
    data = json_ld(page)
    url = f"http://testserver{seed.get_absolute_url()}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == seed_lines[1]
    assert data["mainEntityOfPage"] == data["url"] == url
    assert data["datePublished"] == "2025-01-25T14:30:00+02:00"
    assert data["dateModified"] == "2025-01-25T14:30:00+02:00"
    assert data["inLanguage"] == "uk"
    assert data["author"] == [
        {"@type": "NewsMediaOrganization", "name": "Редакція", "url": "http://testserver/"}
    ]
    publisher = data["publisher"]
    assert publisher["name"] == "Редакція"
    assert publisher["logo"]["url"].startswith("http://testserver/static/img/logo.")
    # Google takes a logo at least 112 px on each side; ours is the site's
    # one logo (settings.SITE_LOGO), measured from the file.
    assert publisher["logo"]["width"] == publisher["logo"]["height"] >= 112
    assert data["articleSection"] == "Оборона"
    assert "ППО" in data["keywords"]
    assert "image" not in data, "the seed has no photo file"
    assert page.select_one("link[rel=canonical]")["href"] == url


def test_authors_are_listed_with_profile_urls(soup_of):
    authors = [make_author("Ірина Коваль"), make_author("Андрій Бойко")]
    article = make_article(authors=authors)
    data = json_ld(soup_of(article.get_absolute_url()))
    assert data["author"] == [
        {"@type": "Person", "name": a.name, "url": f"http://testserver{a.get_absolute_url()}"}
        for a in authors
    ]


def test_a_correction_moves_date_modified(soup_of):
    article = make_article()
    note = ArticleNote.objects.create(article=article, kind="correction", text="Виправлено.")
    data = json_ld(soup_of(article.get_absolute_url()))
    assert datetime.fromisoformat(data["dateModified"]) == note.noted_at
    assert data["dateModified"].endswith(("+02:00", "+03:00")), "Kyiv offset"


def test_photo_is_offered_in_the_three_ratios_google_asks_for(soup_of, client):
    buffer = BytesIO()
    Image.new("RGB", (2000, 1000), "navy").save(buffer, "JPEG")
    article = make_article(
        photo=SimpleUploadedFile("p.jpg", buffer.getvalue()), photo_credit="Фото", photo_alt="Опис"
    )
    page = soup_of(article.get_absolute_url())
    images = json_ld(page)["image"]
    assert [name.rsplit("-", 3)[-3] for name in images] == ["16x9", "4x3", "1x1"]
    assert meta(page, "og:image") == images[0]
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "og:image:alt") == "Опис"


def test_open_graph_and_twitter_describe_the_article(seed, soup_of):
    page = soup_of(seed.get_absolute_url())
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:title") == seed.headline
    assert meta(page, "og:url") == f"http://testserver{seed.get_absolute_url()}"
    assert meta(page, "og:locale") == "uk_UA"
    assert meta(page, "og:description").startswith("Лекорню зазначив")
    assert meta(page, "article:published_time") == "2025-01-25T14:30:00+02:00"
    assert meta(page, "twitter:card") == "summary"
    assert meta(page, "description").startswith("Лекорню зазначив")
    assert meta(page, "robots") == "max-image-preview:large"


def test_previews_are_not_indexed(admin_client, soup_of):
    page = soup_of(make_draft().get_absolute_url(), using=admin_client)
    assert meta(page, "robots") == "noindex, nofollow"


def test_json_ld_cannot_be_broken_out_of(soup_of):
    article = make_article('</script><script>alert(1)</script> & "лапки"')
    page = soup_of(article.get_absolute_url())
    assert json_ld(page)["headline"] == '</script><script>alert(1)</script> & "лапки"'
