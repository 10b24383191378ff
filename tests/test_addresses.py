"""Article addresses: made from the headline, frozen at publication, never broken."""

import pytest

from articles.models import Article, SlugRedirect, unique_slug
from tests.factories import make_article, make_author, make_draft, make_section

pytestmark = pytest.mark.django_db


def test_a_drafts_slug_follows_its_headline():
    draft = make_draft("Перший заголовок")
    draft.headline = "Юрій у Знам'янці"
    draft.save()
    assert draft.slug == "yurii-u-znamiantsi"


def test_a_slug_the_editor_wrote_does_not_follow_the_headline():
    draft = make_draft("Перший заголовок", slug="vlasna-adresa")
    draft.headline = "Інший заголовок"
    draft.save()
    assert draft.slug == "vlasna-adresa"


def test_the_slug_is_frozen_at_first_publication(client):
    article = make_draft("Перший заголовок")
    article.status = Article.Status.PUBLISHED
    article.save()
    article.headline = "Виправлений заголовок"
    article.save()
    assert article.slug == "pershyi-zaholovok"
    assert client.get("/news/pershyi-zaholovok/").status_code == 200


def test_unpublishing_does_not_unfreeze_the_slug():
    article = make_draft("Перший заголовок")
    article.status = Article.Status.PUBLISHED
    article.save()
    article.status = Article.Status.DRAFT
    article.headline = "Інший заголовок"
    article.save()
    assert article.slug == "pershyi-zaholovok"


def test_old_addresses_redirect_permanently_however_often_the_slug_changes(client):
    article = make_article("Перший заголовок")
    for slug in ("druha-adresa", "tretia-adresa"):
        article.slug = slug
        article.save()
    for old in ("pershyi-zaholovok", "druha-adresa"):
        response = client.get(f"/news/{old}/")
        assert response.status_code == 301
        assert response["Location"] == "/news/tretia-adresa/"
    assert client.get("/news/tretia-adresa/").status_code == 200


def test_going_back_to_an_old_slug_serves_the_article_there(client):
    article = make_article("Перший заголовок")
    article.slug = "druha-adresa"
    article.save()
    article.slug = "pershyi-zaholovok"
    article.save()
    assert client.get("/news/pershyi-zaholovok/").status_code == 200
    assert client.get("/news/druha-adresa/")["Location"] == "/news/pershyi-zaholovok/"
    assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["druha-adresa"]


def test_a_drafts_changed_slug_leaves_no_redirect():
    draft = make_draft("Перший заголовок")
    draft.slug = "insha-adresa"
    draft.save()
    assert not SlugRedirect.objects.exists()


def test_an_old_address_of_an_unpublished_article_is_a_404(client):
    article = make_article("Перший заголовок")
    article.slug = "nova-adresa"
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get("/news/pershyi-zaholovok/").status_code == 404


def test_sections_and_authors_get_transliterated_slugs():
    assert make_section("Політика", slug="").slug == "polityka"
    assert make_author("Юрій Щербухи", slug="").slug == "yurii-shcherbukhy"


def test_a_headline_used_many_times_is_numbered_in_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    first = make_article("Повітряна тривога")
    taken = [make_article("Повітряна тривога") for _ in range(30)]
    moved = make_article("Повітряна тривога")
    moved.slug = "povitriana-tryvoha-old"
    moved.save()  # "-32" is now an old address, kept for its redirect
    moved.slug = "povitriana-tryvoha-new"
    moved.save()
    assert SlugRedirect.objects.filter(old_slug="povitriana-tryvoha-32").exists()
    assert first.slug == "povitriana-tryvoha"
    assert [a.slug for a in taken[:2]] == ["povitriana-tryvoha-2", "povitriana-tryvoha-3"]
    article = Article(headline="Повітряна тривога", lead="Лід.", body="<p>Текст.</p>")
    with django_assert_max_num_queries(4):
        slug = unique_slug(article, article.headline, "article")
    assert slug == "povitriana-tryvoha-33"
