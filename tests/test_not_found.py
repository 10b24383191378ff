"""Anything a reader cannot have is a Ukrainian 404, never a 500."""

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/news/no-such-article/",
        "/news/новина/",
        "/news/%00/",
        "/news/a/b/c/",
        "/sections/no-such-section/",
        "/tags/no-such-tag/",
        "/authors/no-such-author/",
        "/no-such-page/",
        "/news/?page=999",
        "/?page=abc",
        "/?page=-1",
        "/?page=0",
        "/?page=99999999999999999999999",
    ],
)
def test_bad_addresses_get_the_ukrainian_404_page(client, url):
    make_article()
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="uk">' in page
    assert "Сторінку не знайдено" in page
    assert 'href="/"' in page


def test_server_error_page_is_ukrainian(client, monkeypatch):
    from articles import views

    def broken(*args, **kwargs):
        raise RuntimeError("the database caught fire")

    monkeypatch.setattr(views.SectionView, "get_queryset", broken)
    client.raise_request_exception = False
    response = client.get("/sections/oborona/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Помилка на сервері" in page
    assert "caught fire" not in page


def test_favicon_is_served_for_pages_that_name_none(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(".svg")
