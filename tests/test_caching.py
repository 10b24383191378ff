"""Cached fragments are never stale: any change, or a scheduled article's
time coming, starts a new content generation."""

import time
from copy import deepcopy
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import articles.cache
from articles.cache import RecentPages
from articles.models import Article
from tests.factories import make_article, make_draft, make_scheduled, make_section

pytestmark = pytest.mark.django_db


def sidebar(soup_of, article):
    return [a.get_text() for a in soup_of(article.get_absolute_url()).select("aside.latest h3 a")]


def test_a_scheduled_article_reaches_a_cached_sidebar_on_time(soup_of):
    current = make_article(ago=timedelta(days=1))
    scheduled = make_scheduled("Заплановано на полудень", after=timedelta(minutes=10))
    assert sidebar(soup_of, current) == []  # now cached
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert sidebar(soup_of, current) == [scheduled.headline]


def test_an_edit_shows_at_once_in_a_cached_sidebar(soup_of):
    current, other = make_article(ago=timedelta(days=1)), make_article("Стара назва")
    assert sidebar(soup_of, current) == ["Стара назва"]
    other.headline = "Нова назва"
    other.save()
    assert sidebar(soup_of, current) == ["Нова назва"]


def test_unpublishing_and_deleting_leave_the_cached_sidebar(soup_of):
    current = make_article(ago=timedelta(days=1))
    taken_down, deleted = make_article("Знято"), make_article("Видалено")
    assert set(sidebar(soup_of, current)) == {"Знято", "Видалено"}
    taken_down.status = Article.Status.DRAFT
    taken_down.save()
    deleted.delete()
    assert sidebar(soup_of, current) == []


def test_a_new_section_appears_in_the_cached_navigation(soup_of):
    make_article()
    soup_of("/")
    make_section("Економіка")
    assert "Економіка" in [a.get_text() for a in soup_of("/").select(".section-nav a")]


def test_a_save_rolled_back_never_reaches_readers(soup_of):
    current = make_article(ago=timedelta(days=1))
    with pytest.raises(RuntimeError), transaction.atomic():
        make_article("Збереження, якого не було", section=make_section("Примари"))
        raise RuntimeError("the save fails before its commit")
    assert sidebar(soup_of, current) == []
    assert "Примари" not in [a.get_text() for a in soup_of("/").select(".section-nav a")]


def test_made_up_section_addresses_keep_no_navigation_of_their_own(client):
    make_article()
    for n in range(30):
        assert client.get(f"/sections/nema-{n}-{'x' * 200}/").status_code == 404
    made = articles.cache.last_site[2]
    assert [key for key in made if key[0] == "section_nav"] == [("section_nav", None)]


def test_a_deploy_changing_the_security_headers_reaches_kept_pages(client, settings):
    article = make_article()
    client.get(article.get_absolute_url())  # kept
    policy = deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["img-src"].append("https://media.example.com")
    settings.CONTENT_SECURITY_POLICY = policy
    response = client.get(article.get_absolute_url())
    assert "https://media.example.com" in response["Content-Security-Policy"]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


def test_a_reader_page_is_rendered_once_then_served_from_the_cache(client):
    article = make_article()
    first, cost = queries_for(client, article.get_absolute_url())
    again, cost_again = queries_for(client, article.get_absolute_url())
    assert cost > 0 and cost_again == 0
    assert again.content == first.content


def test_reader_pages_tell_browsers_and_cdns_how_to_cache(client):
    response = client.get(make_article().get_absolute_url())
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert response["ETag"] and response["Last-Modified"]


def test_conditional_requests_get_304(client):
    url = make_article().get_absolute_url()
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_change_answers_conditional_requests_with_the_new_page(client):
    article = make_article("Було")
    first = client.get(article.get_absolute_url())
    article.headline = "Стало"
    article.save()
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "Стало" in again.content.decode()


def test_staff_get_fresh_private_pages(admin_client):
    article = make_article()
    admin_client.get(article.get_absolute_url())
    response, cost = queries_for(admin_client, article.get_absolute_url())
    assert cost > 0
    assert "private" in response["Cache-Control"]


def test_a_preview_is_never_cached(admin_client, client):
    draft = make_draft()
    response = admin_client.get(draft.get_absolute_url())
    assert "no-store" in response["Cache-Control"]
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_cached_front_page_shows_a_scheduled_article_on_time(soup_of):
    make_article("Вчорашня новина", ago=timedelta(days=1))
    scheduled = make_scheduled("Новина о дванадцятій", after=timedelta(minutes=5))
    assert scheduled.headline not in soup_of("/").get_text()
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert scheduled.headline in soup_of("/").get_text()


def test_a_not_found_page_is_not_cached(client):
    assert client.get("/news/bude-zghodom/").status_code == 404
    make_article("Буде згодом")
    assert client.get("/news/bude-zghodom/").status_code == 200


def test_a_cached_page_is_answered_before_sessions_and_url_resolving(client, monkeypatch):
    from django.contrib.sessions.middleware import SessionMiddleware

    article = make_article()
    first = client.get(article.get_absolute_url())

    def reached(*args):
        raise AssertionError("a cached page went past the cache middleware")

    monkeypatch.setattr(SessionMiddleware, "process_request", reached)
    again, cost = queries_for(client, article.get_absolute_url())
    assert (again.status_code, cost, again.content) == (200, 0, first.content)


def test_a_page_rendered_before_a_change_is_committed_is_not_kept(
    client, django_capture_on_commit_callbacks
):
    """Another server may render from the old data between the save and the
    commit; the commit starts a generation that copy does not belong to."""
    article = make_article("До збереження")
    with django_capture_on_commit_callbacks(execute=True):
        article.headline = "Після збереження"
        article.save()
        _, cost = queries_for(client, article.get_absolute_url())
        _, cost_again = queries_for(client, article.get_absolute_url())
        assert cost > 0 and cost_again == 0  # kept, while the transaction is open
    _, cost_after_commit = queries_for(client, article.get_absolute_url())
    assert cost_after_commit > 0


def test_a_server_keeps_only_its_most_recently_served_pages_in_memory():
    pages, until = RecentPages(size=2), time.time() + 60
    for url in ("/a/", "/b/", "/c/"):
        pages.put(url, (1, {}, url.encode(), until))
    pages.get("/b/", 1)  # served again: now the most recent
    pages.put("/d/", (1, {}, b"/d/", until))
    assert [url for url in ("/a/", "/b/", "/c/", "/d/") if pages.get(url, 1)] == ["/b/", "/d/"]
    assert pages.get("/b/", 2) is None  # a copy of another generation is never served
    pages.put("/e/", (1, {}, b"/e/", time.time() - 1))
    assert pages.get("/e/", 1) is None  # nor one past its time


def test_a_new_story_on_the_same_subject_reaches_a_cached_related_block(soup_of):
    story = make_article("Зустріч міністрів", tags=["ППО"])
    assert soup_of(story.get_absolute_url()).select("section.related a") == []  # cached
    make_article("Нові системи ППО", tags=["ППО"])
    related = soup_of(story.get_absolute_url()).select("section.related a")
    assert [a.get_text() for a in related] == ["Нові системи ППО"]


def test_a_cached_copy_is_what_readers_get_until_the_content_changes(client):
    article = make_article("Заголовок у кеші")
    assert "Заголовок у кеші" in client.get(article.get_absolute_url()).content.decode()
    # Changed behind the site's back (no signal): only a cached copy still says the old.
    Article.objects.filter(pk=article.pk).update(headline="Змінено мимо сайту")
    assert "Заголовок у кеші" in client.get(article.get_absolute_url()).content.decode()
    make_article("Інша новина")  # a change through the site: a new generation
    assert "Змінено мимо сайту" in client.get(article.get_absolute_url()).content.decode()


def test_made_up_parameters_cannot_fill_the_cache(client):
    from django.core.cache import cache

    make_article("Новина")
    client.get("/")
    stored = len(cache._cache)
    for n in range(30):
        assert client.get(f"/?utm_source={n}").status_code == 200
        assert client.get(f"/?q={n}").status_code == 200  # a search term the page ignores
        assert client.get(f"/no-such-page-{n}/").status_code == 404
    assert len(cache._cache) == stored
    with CaptureQueriesContext(connection) as captured:
        client.get("/?fbclid=something")
    assert len(captured) == 0, "the same page, from the cache"
    assert client.get("/news/?page=2").status_code == 404, "the page number is read, not ignored"


def test_the_news_sitemap_drops_an_article_when_its_48_hours_are_over(client):
    make_article("Свіжа новина", ago=timedelta(hours=47))
    assert "Свіжа новина" in client.get("/sitemap-news.xml").content.decode()
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = client.get("/sitemap-news.xml")
    assert "Свіжа новина" not in response.content.decode()


def test_a_page_tells_caches_to_keep_it_no_longer_than_its_content_holds(client):
    make_article("Свіжа новина", ago=timedelta(hours=48) - timedelta(seconds=20))
    cache_control = client.get("/sitemap-news.xml")["Cache-Control"]
    assert "max-age=" in cache_control
    assert int(cache_control.split("max-age=")[1].split(",")[0]) <= 20


@pytest.mark.parametrize(
    "address",
    ["/?page=01", "/?page=+1", "/sitemap-articles-2099-01.xml", "/sitemap-articles-٢٠٢٥-٠١.xml"],
)
def test_another_spelling_of_a_page_is_not_a_page(client, address):
    make_article("Новина")
    assert client.get(address).status_code == 404


def test_other_spellings_of_a_page_are_answered_but_not_kept(client):
    from django.core.cache import cache

    make_article("Новина")
    client.get("/search/?q=новина")
    stored = len(cache._cache)
    for n in range(10):
        assert client.get("/search/", {"q": "новина" + " " * (300 + n)}).status_code == 200
        assert client.get("/", HTTP_HOST=f"testserver:{8000 + n}").status_code == 200
    assert len(cache._cache) == stored
