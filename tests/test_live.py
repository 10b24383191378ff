"""Live pages (live/): a story that runs timestamped updates several editors
post at once, readers get without a reload, and caches keep apart from the
rest of the site."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import reversion
import time_machine
from bs4 import BeautifulSoup
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.cache import content_generation
from articles.models import Article
from delivery.models import Purge
from frontpage.models import Front, Slot
from live.models import LiveCoverage, Update
from live.page import UPDATES_PER_PAGE
from tests.factories import make_article, make_draft

pytestmark = pytest.mark.django_db


def go_live(article, **fields):
    return LiveCoverage.objects.create(article=article, is_live=True, **fields)


def post(article, text="<p>Текст оновлення.</p>", ago=None, **fields):
    """A published update, `ago` before now if given."""
    update = Update.objects.create(article=article, body=text, **fields)
    if ago is not None:
        Update.objects.filter(pk=update.pk).update(posted_at=timezone.now() - ago)
        update.refresh_from_db()
    return update


@pytest.fixture
def live():
    article = make_article("Атака на Київ: онлайн", lead="Що відомо зараз.")
    go_live(article)
    return article


def stream_of(soup):
    return [item["id"] for item in soup.select("#live-stream > li.live-update")]


def post_url(article):
    return reverse("admin:live_livecoverage_post", args=[article.pk])


def since_url(article, after):
    return reverse("live:since", args=[article.pk, after])


def structured(soup):
    return json.loads(soup.find("script", type="application/ld+json").string)


# Editors and reporters


def test_an_editor_posts_an_update_and_stays_on_the_live_desk(editor_client, live):
    response = editor_client.post(
        post_url(live),
        {"update-title": "Вибухи на лівому березі", "update-body": "<p>Працює ППО.</p>"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    answer = response.json()
    assert "Вибухи на лівому березі" in answer["list"]
    update = Update.objects.get()
    assert update.is_published and update.author.username == "editor-user"
    assert update.posted_at is not None
    # Without the page's script, the same post leads back to the desk.
    response = editor_client.post(post_url(live), {"update-body": "<p>Ще одне.</p>"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:live_livecoverage_change", args=[live.pk])
    assert Update.objects.count() == 2


def test_every_update_is_in_the_history(editor_client, live):
    editor_client.post(post_url(live), {"update-body": "<p>Перше.</p>"})
    update = Update.objects.get()
    assert Version.objects.get_for_object(update).count() == 1
    assert LogEntry.objects.filter(object_id=str(update.pk)).exists()
    response = editor_client.post(
        reverse("admin:live_update_change", args=[update.pk]),
        {"title": "", "body": "<p>Перше, виправлене.</p>", "_save": "1"},
    )
    assert response.status_code == 302
    assert Version.objects.get_for_object(update).count() == 2
    history = editor_client.get(reverse("admin:live_update_history", args=[update.pk]))
    assert history.status_code == 200


def test_a_refused_post_keeps_the_text(editor_client, live):
    response = editor_client.post(
        post_url(live),
        {"update-title": "Заголовок без тексту", "update-body": ""},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "body" in response.json()["errors"]
    # Without the script: the form again, with what was typed.
    response = editor_client.post(post_url(live), {"update-title": "Заголовок без тексту"})
    assert response.status_code == 400
    form = BeautifulSoup(response.content, "html.parser").select_one("form.live-post")
    assert form.select_one("input[name=update-title]")["value"] == "Заголовок без тексту"
    assert Update.objects.count() == 0


def test_an_update_is_sanitised_like_a_story(editor_client, live):
    hostile = (
        '<p onclick="steal()">Факт<script>alert(1)</script> <a href="javascript:x()">тут</a></p>'
    )
    editor_client.post(post_url(live), {"update-body": hostile})
    body = Update.objects.get().body
    assert "script" not in body and "onclick" not in body and "javascript" not in body
    assert "Факт" in body


def test_a_story_that_is_not_live_takes_no_updates(editor_client):
    article = make_article()
    LiveCoverage.objects.create(article=article, is_live=False)
    response = editor_client.post(
        post_url(article), {"update-body": "<p>Ні.</p>"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert Update.objects.count() == 0


def test_a_reporters_update_waits_for_an_editor(client, reporter, editor, live):
    client.force_login(reporter)
    client.post(post_url(live), {"update-body": "<p>Чернетка репортера.</p>"})
    update = Update.objects.get()
    assert update.status == Update.Status.DRAFT and update.posted_at is None
    assert "Чернетка репортера" not in client.get(live.get_absolute_url()).content.decode()
    publish = reverse("admin:live_livecoverage_publish", args=[live.pk, update.pk])
    assert client.post(publish).status_code == 403
    client.force_login(editor)
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        client.post(publish)
        update.refresh_from_db()
        assert update.is_published and update.posted_at == timezone.now()
        client.logout()
        assert "Чернетка репортера" in client.get(live.get_absolute_url()).content.decode()


def test_a_reporter_edits_their_own_waiting_update_and_nothing_published(client, reporter, live):
    mine = Update.objects.create(
        article=live, body="<p>Моє.</p>", author=reporter, status=Update.Status.DRAFT
    )
    published = post(live, author=reporter)
    client.force_login(reporter)
    change = reverse("admin:live_update_change", args=[mine.pk])
    response = client.post(change, {"body": "<p>Моє, краще.</p>", "is_pinned": "on", "_save": "1"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.body == "<p>Моє, краще.</p>" and mine.status == Update.Status.DRAFT
    response = client.post(
        reverse("admin:live_update_change", args=[published.pk]),
        {"body": "<p>Переписано.</p>", "_save": "1"},
    )
    assert response.status_code == 403
    assert client.post(reverse("admin:live_update_delete", args=[published.pk])).status_code == 403
    response = client.post(reverse("admin:live_update_delete", args=[mine.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert list(Update.objects.all()) == [published]


def test_an_editor_deletes_an_update_and_can_recover_it(editor_client, live):
    update = post(live, "<p>Помилкове.</p>")
    editor_client.post(
        reverse("admin:live_update_change", args=[update.pk]),
        {"body": "<p>Помилкове.</p>", "_save": "1"},
    )
    response = editor_client.post(
        reverse("admin:live_update_delete", args=[update.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Update.objects.exists()
    recover = editor_client.get(reverse("admin:live_update_recoverlist"))
    assert recover.status_code == 200 and "Помилкове" in recover.content.decode()


def test_the_story_form_leads_to_its_live_desk(editor_client, live):
    article = make_article()
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert reverse("admin:live_livecoverage_open", args=[article.pk]) in page.content.decode()
    opened = editor_client.get(reverse("admin:live_livecoverage_open", args=[article.pk]))
    assert opened["Location"].endswith(f"/add/?article={article.pk}")
    opened = editor_client.get(reverse("admin:live_livecoverage_open", args=[live.pk]))
    assert opened["Location"] == reverse("admin:live_livecoverage_change", args=[live.pk])
    desk = editor_client.get(opened["Location"])
    assert desk.status_code == 200
    soup = BeautifulSoup(desk.content, "html.parser")
    assert soup.select_one("form.live-post textarea[name=update-body]") is not None


# The reader's page


# Midday in Kyiv: an update half an hour old was posted today ("14:32").
@time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=UTC), tick=True)
def test_the_live_page_shows_key_events_the_pinned_update_then_the_newest_first(client):
    live = make_article("Атака на Київ: онлайн", ago=timedelta(hours=2))
    go_live(live, started_at=timezone.now() - timedelta(hours=2))
    key = post(
        live,
        "<p>Ключова подія.</p>",
        title="Уражено енергетику",
        is_key_event=True,
        ago=timedelta(minutes=30),
    )
    pinned = post(
        live,
        "<p>Укриття поруч.</p>",
        title="Де сховатися",
        is_pinned=True,
        ago=timedelta(minutes=40),
    )
    newest = post(live, "<p>Найсвіжіше.</p>")
    soup = BeautifulSoup(client.get(live.get_absolute_url()).content, "html.parser")
    assert soup.select_one(".live-key-events a")["href"] == f"#update-{key.pk}"
    assert soup.select_one(".live-pinned li")["id"] == f"update-{pinned.pk}"
    assert stream_of(soup) == [f"update-{newest.pk}", f"update-{key.pk}"]
    assert soup.select_one(".article-body") is not None  # the summary stays
    when = soup.select_one(f"#update-{key.pk} time")
    assert when.get_text() == timezone.localtime(key.posted_at).strftime("%H:%M")
    assert when["datetime"].endswith(("+02:00", "+03:00"))  # Kyiv time


def test_older_updates_are_on_numbered_pages_that_work_without_javascript(client, live):
    updates = [
        post(live, f"<p>Оновлення {n}.</p>", ago=timedelta(minutes=100 - n))
        for n in range(UPDATES_PER_PAGE + 3)
    ]
    soup = BeautifulSoup(client.get(live.get_absolute_url()).content, "html.parser")
    assert len(stream_of(soup)) == UPDATES_PER_PAGE
    more = soup.select_one("a.live-more")
    assert more.get_text() == "Показати ще" and more["href"] == "?page=2"
    page2 = BeautifulSoup(client.get(live.get_absolute_url() + "?page=2").content, "html.parser")
    assert stream_of(page2) == [f"update-{u.pk}" for u in reversed(updates[:3])]
    assert page2.select_one("a.live-more") is None
    assert client.get(live.get_absolute_url() + "?page=3").status_code == 404
    assert client.get(live.get_absolute_url() + "?page=x").status_code == 404


def test_a_key_event_on_an_older_page_is_reached_from_the_first(client, live):
    key = post(live, "<p>Давня подія.</p>", is_key_event=True, ago=timedelta(hours=3))
    for n in range(UPDATES_PER_PAGE):
        post(live, f"<p>Пізніше {n}.</p>", ago=timedelta(minutes=60 - n))
    soup = BeautifulSoup(client.get(live.get_absolute_url()).content, "html.parser")
    link = soup.select_one(".live-key-events a")["href"]
    response = client.get(link)
    assert response["Location"] == f"{live.get_absolute_url()}?page=2#update-{key.pk}"


def test_drafts_and_unpublished_stories_show_no_updates(client, live):
    Update.objects.create(article=live, body="<p>Чекає.</p>", status=Update.Status.DRAFT)
    assert "Чекає" not in client.get(live.get_absolute_url()).content.decode()
    draft = make_draft("Таємна трансляція")
    go_live(draft)
    post(draft, "<p>Таємне.</p>")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(since_url(draft, 0)).status_code == 404
    hidden = Update.objects.get(article=draft)
    assert client.get(reverse("live:update", args=[draft.pk, hidden.pk])).status_code == 404
    assert client.get(reverse("live:rss", args=[draft.slug])).status_code == 404


def test_the_page_carries_live_blog_posting_with_every_update(client, live):
    first = post(live, "<p>Перше.</p>", title="Початок", ago=timedelta(minutes=10))
    second = post(live, "<p>Друге.</p>")
    data = structured(BeautifulSoup(client.get(live.get_absolute_url()).content, "html.parser"))
    assert data["@type"] == "LiveBlogPosting"
    assert "coverageStartTime" in data and "coverageEndTime" not in data
    assert [u["url"].rsplit("#", 1)[1] for u in data["liveBlogUpdate"]] == [
        f"update-{second.pk}",
        f"update-{first.pk}",
    ]
    assert data["liveBlogUpdate"][1]["headline"] == "Початок"
    assert data["liveBlogUpdate"][0]["articleBody"] == "Друге."
    assert data["dateModified"] == timezone.localtime(second.posted_at).isoformat()


def test_an_ended_page_stops_updating_and_says_when_it_ended(client, live):
    post(live)
    live.live.ended_at = timezone.now() - timedelta(minutes=1)
    live.live.save()
    soup = BeautifulSoup(client.get(live.get_absolute_url()).content, "html.parser")
    assert "Трансляцію завершено" in soup.select_one(".live-ended").get_text()
    assert "data-poll-url" not in str(soup.select_one("#live-stream"))
    assert "coverageEndTime" in structured(soup)
    assert "data-ended" in client.get(since_url(live, 0)).content.decode()


def test_the_feeds_list_the_published_updates(client, live):
    post(live, "<p>Перше в стрічці.</p>", title="Заголовок оновлення")
    Update.objects.create(article=live, body="<p>Чернетка.</p>", status=Update.Status.DRAFT)
    rss = client.get(reverse("live:rss", args=[live.slug])).content.decode()
    assert "Заголовок оновлення" in rss and "Чернетка" not in rss
    atom = client.get(reverse("live:atom", args=[live.slug])).content.decode()
    assert "Заголовок оновлення" in atom
    assert client.get(reverse("live:rss", args=[make_article().slug])).status_code == 404


# What's new, and what an update costs


def test_whats_new_answers_the_updates_after_the_readers_newest(client, live):
    old = post(live, "<p>Старе.</p>", ago=timedelta(minutes=5))
    answer = BeautifulSoup(client.get(since_url(live, old.pk)).content, "html.parser")
    root = answer.select_one(".live-since")
    assert root["data-latest"] == str(old.pk) and root.select("li") == []
    new = post(live, "<p>Нове.</p>")
    root = BeautifulSoup(client.get(since_url(live, old.pk)).content, "html.parser")
    root = root.select_one(".live-since")
    assert root["data-latest"] == str(new.pk)
    assert [li["id"] for li in root.select("li.live-update")] == [f"update-{new.pk}"]


def test_whats_new_is_one_cached_answer_per_newest_update(client, live):
    old = post(live, ago=timedelta(minutes=5))
    client.get(since_url(live, old.pk))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(since_url(live, old.pk))
    assert response.status_code == 200 and len(captured) == 0
    post(live, "<p>Свіже.</p>")
    with CaptureQueriesContext(connection) as captured:
        assert "Свіже" in client.get(since_url(live, old.pk)).content.decode()
    assert len(captured) <= 4, [q["sql"] for q in captured]


def answer_of(client, article, after):
    return BeautifulSoup(client.get(since_url(article, after)).content, "html.parser")


def test_whats_new_tells_open_pages_what_was_edited_or_deleted(editor_client, client, live):
    first = post(live, "<p>Перше.</p>", ago=timedelta(minutes=3))
    wrong = post(live, "<p>Помилкове.</p>", ago=timedelta(minutes=2))
    newest = post(live, "<p>Останнє.</p>", ago=timedelta(minutes=1))
    waiting = Update.objects.create(article=live, body="<p>Чекає.</p>", status=Update.Status.DRAFT)
    answer = answer_of(client, live, newest.pk)
    root = answer.select_one(".live-since")
    assert root["data-present"].split() == [str(newest.pk), str(wrong.pk), str(first.pk)]
    assert not root.has_attr("data-whole-since")  # every update is listed
    assert answer.select(".live-edited li") == []
    # An editor corrects the first update in the admin and deletes another.
    response = editor_client.post(
        reverse("admin:live_update_change", args=[first.pk]),
        {"body": "<p>Перше, виправлене.</p>", "_save": "1"},
    )
    assert response.status_code == 302
    editor_client.post(reverse("admin:live_update_delete", args=[wrong.pk]), {"post": "yes"})
    waiting.body = "<p>Чекає, змінене.</p>"
    waiting.save()
    answer = answer_of(client, live, newest.pk)
    root = answer.select_one(".live-since")
    assert root["data-present"].split() == [str(newest.pk), str(first.pk)]
    [edited] = answer.select(".live-edited li.live-update")
    assert edited["id"] == f"update-{first.pk}" and "Перше, виправлене." in edited.get_text()
    # The edition tells a page that has it already from one that does not.
    page = BeautifulSoup(client.get(live.get_absolute_url()).content, "html.parser")
    assert page.select_one(f"#update-{first.pk}")["data-edition"] == edited["data-edition"]
    assert not page.select_one(f"#update-{newest.pk}").has_attr("data-edition")
    assert "Чекає" not in str(answer)


def test_only_a_change_readers_see_is_an_edit(client, reporter, editor, live):
    update = post(live)
    assert update.edited_at is None
    client.force_login(reporter)
    client.post(post_url(live), {"update-body": "<p>Чернетка репортера.</p>"})
    draft = Update.objects.get(status=Update.Status.DRAFT)
    client.force_login(editor)
    client.post(reverse("admin:live_livecoverage_publish", args=[live.pk, draft.pk]))
    draft.refresh_from_db()
    assert draft.is_published and draft.edited_at is None, "approving is publishing"
    change = reverse("admin:live_update_change", args=[update.pk])
    client.post(change, {"body": update.body, "is_pinned": "on", "_save": "1"})
    update.refresh_from_db()
    assert update.is_pinned and update.edited_at is None, "pinning changes no text"
    client.post(change, {"body": "<p>Виправлено.</p>", "is_pinned": "on", "_save": "1"})
    update.refresh_from_db()
    assert update.edited_at is not None


def test_an_update_put_back_from_its_history_reaches_open_pages(editor_client, client, live):
    update = post(live, "<p>Перша версія.</p>", ago=timedelta(minutes=5))
    with reversion.create_revision():
        update.save()
    first_version = Version.objects.get_for_object(update).first()
    update.body = "<p>Друга версія.</p>"
    update.save()
    edited = update.edited_at
    url = reverse("admin:live_update_revision", args=[update.pk, first_version.pk])
    response = editor_client.post(url, {"body": "<p>Перша версія.</p>", "_save": "1"})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.body == "<p>Перша версія.</p>" and update.edited_at > edited
    [replacement] = answer_of(client, live, update.pk).select(".live-edited li")
    assert "Перша версія." in replacement.get_text()


def test_whats_new_lists_the_latest_updates_whole_from_a_time(client, live, monkeypatch):
    monkeypatch.setattr("live.page.CURRENT", 3)
    updates = [post(live, f"<p>{n}</p>", ago=timedelta(minutes=10 - n)) for n in range(5)]
    root = answer_of(client, live, updates[-1].pk).select_one(".live-since")
    assert root["data-present"].split() == [str(u.pk) for u in reversed(updates[2:])]
    expected = timezone.localtime(updates[2].posted_at).replace(microsecond=0).isoformat()
    assert root["data-whole-since"] == expected


def test_whats_new_sends_only_the_edits_a_page_may_have_missed(client, live):
    early = post(live, "<p>Ранкове.</p>", ago=timedelta(hours=3))
    with time_machine.travel(timezone.now() - timedelta(hours=2), tick=False):
        early.body = "<p>Ранкове, виправлене.</p>"
        early.save()
    later = post(live, "<p>Денне.</p>", ago=timedelta(hours=1))
    # A page whose newest update came after the edit had the edit in its copy.
    assert answer_of(client, live, later.pk).select(".live-edited li") == []
    # A page loaded before it (its tab hidden since, say) gets it now.
    [edit] = answer_of(client, live, early.pk).select(".live-edited li")
    assert "Ранкове, виправлене." in edit.get_text()


def test_a_made_up_update_number_asks_for_a_reload_and_is_not_kept(client, live):
    from django.core.cache import cache

    post(live)
    client.get(since_url(live, 0))
    stored = len(cache._cache)
    for n in range(10):
        answer = client.get(since_url(live, 999000 + n)).content.decode()
        assert "data-reload" in answer
    assert len(cache._cache) == stored


def test_an_update_re_renders_only_what_shows_its_live_page(client, live):
    other = make_article("Інша історія")
    client.get(other.get_absolute_url())
    client.get(live.get_absolute_url())
    generation = content_generation()
    Article.objects.filter(pk=other.pk).update(headline="Змінено мимо сайту")
    post(live, "<p>Нове оновлення.</p>")
    assert content_generation() == generation
    assert "Нове оновлення" in client.get(live.get_absolute_url()).content.decode()
    # The other story's page is still the kept copy: not rendered again.
    assert "Інша історія" in client.get(other.get_absolute_url()).content.decode()


def test_an_update_purges_only_what_shows_its_live_page(settings, live):
    settings.PURGE_URLS = ["http://127.0.0.1:9/"]
    Purge.objects.all().delete()
    update = post(live)
    assert [row.keys for row in Purge.objects.all()] == [f"l{live.pk}"]
    Purge.objects.all().delete()
    update.delete()
    assert [row.keys for row in Purge.objects.all()] == [f"l{live.pk}"]


def test_the_live_page_and_whats_new_carry_the_live_key(client, live):
    post(live)
    for url in (live.get_absolute_url(), since_url(live, 0), reverse("live:rss", args=[live.slug])):
        assert f"l{live.pk}" in client.get(url)["xkey"].split(), url


def test_the_live_page_costs_the_same_queries_however_many_updates(client, live):
    def queries():
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(live.get_absolute_url()).status_code == 200
        return len(captured)

    post(live, is_key_event=True)
    few = queries()
    for n in range(15):
        post(live, f"<p>{n}</p>", is_key_event=n % 2 == 0)
    assert queries() == few


# The front page


def test_a_live_page_leads_the_front_page_while_it_goes_on(client):
    earlier = make_article("Головна до трансляції")
    front = Front.objects.get_or_create(section=None)[0]
    Slot.objects.create(front=front, kind=Slot.Kind.TOP, article=earlier)
    story = make_article("Саміт у Брюсселі: онлайн", ago=timedelta(days=1))
    coverage = go_live(story)
    post(story, "<p>Лідери прибули.</p>", title="Лідери прибули")
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    top = soup.select_one(".top-story")
    assert "Саміт у Брюсселі" in top.get_text() and top.select_one(".mark-live")
    assert "Лідери прибули" in top.select_one(".live-latest").get_text()
    assert "Головна до трансляції" in soup.select_one(".front-featured").get_text()
    post(story, "<p>Почалося засідання.</p>", title="Почалося засідання")
    assert "Почалося засідання" in client.get("/").content.decode()
    # The editors' place is left as it was, and leads again at the end.
    assert Slot.objects.get(kind=Slot.Kind.TOP).article == earlier
    coverage.ended_at = timezone.now()
    coverage.save()
    top = BeautifulSoup(client.get("/").content, "html.parser").select_one(".top-story")
    assert "Головна до трансляції" in top.get_text() and not top.select_one(".mark-live")


def test_a_live_page_leads_nothing_unpublished_ended_by_its_time_or_deleted(client):
    earlier = make_article("Головна редакції")
    draft = make_draft("Таємна трансляція")
    go_live(draft)

    def top():
        return BeautifulSoup(client.get("/").content, "html.parser").select_one(".top-story")

    assert "Головна редакції" in top().get_text()
    story = make_article("Трансляція до обіду", ago=timedelta(days=1))
    coverage = go_live(story, ended_at=timezone.now() + timedelta(hours=1))
    assert "Трансляція до обіду" in top().get_text()
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert "Головна редакції" in top().get_text()
    coverage.ended_at = None
    coverage.save()
    assert "Трансляція до обіду" in top().get_text()
    coverage.delete()
    assert "Головна редакції" in top().get_text()
    assert earlier.pk


def test_a_reporters_pinned_draft_leaves_the_editors_pinned_update(client, reporter, live):
    pinned = post(live, "<p>Закріплене редактором.</p>", is_pinned=True)
    client.force_login(reporter)
    client.post(post_url(live), {"update-body": "<p>Моє.</p>", "update-is_pinned": "on"})
    pinned.refresh_from_db()
    assert pinned.is_pinned
    client.logout()
    soup = BeautifulSoup(client.get(live.get_absolute_url()).content, "html.parser")
    assert soup.select_one(".live-pinned li")["id"] == f"update-{pinned.pk}"


def test_a_reporter_cannot_turn_a_published_update_back_into_their_draft(
    client, reporter, editor, live
):
    update = Update.objects.create(
        article=live, body="<p>Чернетка.</p>", author=reporter, status=Update.Status.DRAFT
    )
    client.force_login(reporter)
    client.post(
        reverse("admin:live_update_change", args=[update.pk]),
        {"body": "<p>Чернетка.</p>", "_save": "1"},
    )
    client.force_login(editor)
    client.post(reverse("admin:live_livecoverage_publish", args=[live.pk, update.pk]))
    draft_version = Version.objects.get_for_object(update).last()
    client.force_login(reporter)
    url = reverse("admin:live_update_revision", args=[update.pk, draft_version.pk])
    assert client.get(url).status_code == 403
    client.post(url, {"body": "<p>Переписано.</p>", "_save": "1"})
    update.refresh_from_db()
    assert update.is_published and update.body == "<p>Чернетка.</p>"


def test_staff_without_live_rights_read_no_desk(client, django_user_model, live):
    Update.objects.create(article=live, body="<p>Чекає.</p>", status=Update.Status.DRAFT)
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True))
    for name in ("admin:live_livecoverage_list", "admin:live_livecoverage_change"):
        response = client.get(reverse(name, args=[live.pk]))
        assert response.status_code in (302, 403) and "Чекає" not in response.content.decode()
    response = client.post(post_url(live), {"update-body": "<p>Ні.</p>"})
    assert response.status_code == 403 and Update.objects.count() == 1


def test_an_update_that_commits_after_a_later_timed_one_still_reaches_readers(client, live):
    """Two editors post at once: B's update is timed after A's, but commits
    first, and a reader's page learns of B before A exists."""
    b = post(live, "<p>Оновлення Б.</p>")
    a = post(live, "<p>Оновлення А.</p>")
    Update.objects.filter(pk=a.pk).update(posted_at=b.posted_at - timedelta(seconds=1))
    answer = BeautifulSoup(client.get(since_url(live, b.pk)).content, "html.parser")
    assert [li["id"] for li in answer.select("li.live-update")] == [f"update-{a.pk}"]
    assert answer.select_one(".live-since")["data-latest"] == str(b.pk)


def test_a_live_page_is_marked_where_it_is_listed(client, live):
    soup = BeautifulSoup(client.get(reverse("articles:all")).content, "html.parser")
    assert soup.select_one(".mark-live").get_text() == "Онлайн"


def test_a_page_showing_updates_a_replica_lacks_is_read_from_the_primary(
    monkeypatch, django_capture_on_commit_callbacks
):
    from articles.cache import page_stamps, page_uses, part_changed
    from newsroom.replicas import reading_replica, replica

    monkeypatch.setattr("articles.cache.primary_position", lambda: 101)
    with django_capture_on_commit_callbacks(execute=True):
        part_changed("live:1")  # the primary's log at 101 when it committed
    stamps, reading = page_stamps.set({}), reading_replica.set(True)
    try:
        monkeypatch.setattr(replica, "caught_up", lambda position: (position or 0) <= 100)
        page_uses("live:1")
        assert reading_replica.get() is False
        page_stamps.set({})
        reading_replica.set(True)
        monkeypatch.setattr(replica, "caught_up", lambda position: (position or 0) <= 101)
        page_uses("live:1")
        assert reading_replica.get() is True
    finally:
        page_stamps.reset(stamps)
        reading_replica.reset(reading)
