"""Surrogate keys (articles/keys.py) and the purge outbox (delivery/): every
reader page says what it shows, every change purges exactly what it
touched, through rows written in the change's own transaction."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.archive import generate_archive
from articles.keys import MOST_ARTICLE_KEYS
from articles.models import Article, Tag
from delivery.models import Purge
from delivery.outbox import drain
from frontpage.models import Breaking, Front, Slot
from tests.factories import make_article, make_author, make_draft, make_scheduled, make_section
from tests.servers import free_port

pytestmark = pytest.mark.django_db
VARNISH = "http://127.0.0.1:{}/"


def keys_of(response):
    return set(response["xkey"].split())


def edge_age(response):
    parts = dict(part.strip().partition("=")[::2] for part in response["Cache-Control"].split(","))
    return int(parts["s-maxage"]), parts


@pytest.fixture
def purging(settings):
    """A cache in front to purge: changes keep rows in the outbox."""
    settings.PURGE_URLS = ["http://127.0.0.1:9/"]


def purged():
    """The keys the outbox holds, all rows together."""
    return {key for row in Purge.objects.all() for key in row.keys.split()}


# --- what pages show ---


def test_an_article_page_carries_its_own_key_and_the_stories_it_links(client):
    tag = Tag.objects.create(name="ППО")
    older = make_article(tags=[tag], ago=timedelta(hours=3))
    article = make_article(tags=[tag])
    response = client.get(article.get_absolute_url())
    keys = keys_of(response)
    assert {f"a{article.pk}", f"a{older.pk}", "site", "latest"} <= keys  # older: related
    assert f"s{article.section_id}" not in keys  # its section's list is not on it
    age, parts = edge_age(response)
    assert age > 3600  # an article is kept long by the cache in front ...
    assert "stale-while-revalidate" in parts and "stale-if-error" in parts
    assert parts["max-age"] == "60"  # ... and shortly by browsers, who are never purged


@pytest.mark.parametrize(
    ("name", "list_key"),
    [("section", "s{section}"), ("tag", "t{tag}"), ("author", "p{author}")],
)
def test_a_list_page_carries_its_list_and_every_story_it_shows(client, name, list_key):
    tag, author = Tag.objects.create(name="Оборона"), make_author()
    stories = [make_article(tags=[tag], authors=[author]) for _ in range(3)]
    section = stories[0].section
    for story in stories:
        story.section = section
        story.save()
    subject = {"section": section, "tag": tag, "author": author}[name]
    response = client.get(subject.get_absolute_url())
    keys = keys_of(response)
    ids = {"section": section.pk, "tag": tag.pk, "author": author.pk}
    assert list_key.format(**ids) in keys
    assert {f"a{story.pk}" for story in stories} <= keys
    assert edge_age(response)[0] <= 300  # a list is kept shortly


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("/", "front"),
        (reverse("articles:all"), "lists"),
        (reverse("articles:rss"), "lists"),
        (reverse("articles:news-sitemap"), "lists"),
        (reverse("search:results") + "?q=новина", "lists"),
    ],
)
def test_pages_of_every_story_carry_their_key(client, url, key):
    make_article()
    assert key in keys_of(client.get(url))


def test_a_page_linking_very_many_stories_carries_the_lists_key_instead(client):
    stories = generate_archive(
        MOST_ARTICLE_KEYS * 2, [make_section()], make_author(), "Тема", every=timedelta(seconds=1)
    )
    month = f"articles-{timezone.localtime(stories[0].published_at):%Y-%m}"
    response = client.get(reverse("articles:sitemap-section", args=[month]))
    assert response.status_code == 200
    keys = keys_of(response)
    assert "lists" in keys
    assert not any(key.startswith("a") for key in keys)
    assert len(response["xkey"]) < 1000


def test_staff_pages_carry_no_keys(admin_client):
    response = admin_client.get(make_article().get_absolute_url())
    assert "xkey" not in response
    assert "private" in response["Cache-Control"]


# --- the sidebar as a fragment (ESI) ---


def test_behind_varnish_the_sidebar_is_a_fragment_of_its_own(client, settings):
    settings.ESI_FRAGMENTS = True
    old = make_article(ago=timedelta(days=30))
    for hours in range(2, 8):  # the sidebar's six, all newer than `old`
        make_article(ago=timedelta(hours=hours))
    newest = make_article("Найновіша новина")
    page = client.get(old.get_absolute_url())
    html = page.content.decode()
    assert f'<esi:include src="{reverse("articles:latest")}"/>' in html
    assert "latest" not in keys_of(page)  # a new story does not purge this page
    fragment = client.get(reverse("articles:latest"))
    assert "Найновіша новина" in fragment.content.decode()
    assert "latest" in keys_of(fragment)
    assert edge_age(fragment)[0] <= 300
    # A story in the sidebar is left out of its own page's sidebar.
    own = client.get(newest.get_absolute_url()).content.decode()
    src = reverse("articles:latest-without", args=[newest.pk])
    assert f'<esi:include src="{src}"/>' in own
    assert "Найновіша новина" not in client.get(src).content.decode()


def test_without_varnish_the_sidebar_is_in_the_page(client):
    make_article("Найновіша новина")
    html = client.get(make_article(ago=timedelta(days=3)).get_absolute_url()).content.decode()
    assert "esi:include" not in html
    assert "Найновіша новина" in html


# --- what changes purge ---


def test_a_published_story_purges_its_page_and_every_list_it_is_on(purging):
    tag, author, section = Tag.objects.create(name="Оборона"), make_author(), make_section()
    Purge.objects.all().delete()
    article = make_article(tags=[tag], authors=[author], section=section)
    expected = {
        f"a{article.pk}",
        f"s{article.section_id}",
        f"t{tag.pk}",
        f"p{author.pk}",
        "front",
        "lists",
        "latest",
    }
    assert purged() == expected
    Purge.objects.all().delete()
    article.headline = "Виправлений заголовок"
    article.save()
    assert purged() == expected


def test_a_draft_purges_only_its_own_page(purging):
    draft = make_draft()
    Purge.objects.all().delete()
    draft.lead = "Новий лід."
    draft.save()
    assert purged() == {f"a{draft.pk}"}


def test_a_scheduled_story_purges_no_list_before_its_time(purging):
    section = make_section()
    Purge.objects.all().delete()
    story = make_scheduled(after=timedelta(hours=2), section=section)
    assert purged() == {f"a{story.pk}"}


def test_unpublishing_purges_the_lists_it_was_on(purging):
    article = make_article()
    Purge.objects.all().delete()
    article.status = Article.Status.DRAFT
    article.save()
    assert {f"a{article.pk}", "lists", "front", f"s{article.section_id}"} <= purged()


def test_a_new_tag_purges_nothing_and_a_renamed_one_everything(purging):
    tag = Tag.objects.create(name="Нова тема")
    assert purged() == set()
    tag.name = "Перейменована тема"
    tag.save()
    assert purged() == {"site"}


def test_a_section_change_purges_every_page(purging):
    make_section()
    assert purged() == {"site"}


def test_front_page_places_and_breaking_news(purging):
    article = make_article()
    section_front = Front.objects.create(section=article.section)
    Purge.objects.all().delete()
    Slot.objects.create(front=section_front, article=article, kind=Slot.Kind.TOP)
    assert purged() == {f"s{article.section_id}"}
    Purge.objects.all().delete()
    front_page = Front.objects.get_or_create(section=None)[0]
    Purge.objects.all().delete()
    Slot.objects.create(front=front_page, article=article, kind=Slot.Kind.TOP)
    assert purged() == {"front"}
    Purge.objects.all().delete()
    Breaking.objects.create(article=article, ends_at=timezone.now() + timedelta(hours=1))
    assert purged() == {"site"}


def test_a_rolled_back_change_leaves_no_purge(purging):
    article = make_article()
    Purge.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        article.headline = "Не збережено"
        article.save()
        raise RuntimeError
    assert not Purge.objects.exists()


def test_without_a_cache_in_front_nothing_is_kept(settings):
    settings.PURGE_URLS = []
    make_article()
    assert not Purge.objects.exists()


# --- sending purges ---


class FakeVarnish(BaseHTTPRequestHandler):
    """Answers PURGE as newsroom.vcl does, noting the keys."""

    received = []

    def do_PURGE(self):
        self.received.append(self.headers["xkey-softpurge"])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish(settings):
    FakeVarnish.received = []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), FakeVarnish)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.PURGE_URLS = [VARNISH.format(server.server_address[1])]
    yield FakeVarnish.received
    server.shutdown()
    server.server_close()


def test_the_worker_sends_each_key_once_then_empties_the_outbox(varnish):
    first, second = make_article(), make_article()
    sent = drain()
    assert f"a{first.pk}" in sent and f"a{second.pk}" in sent
    assert len(varnish) == 1
    assert sorted(varnish[0].split()) == sent  # one request, no key twice
    assert not Purge.objects.exists()
    assert drain() == [] and len(varnish) == 1


def test_a_cache_that_is_down_keeps_its_purges_and_holds_back_no_other(varnish, settings):
    down = VARNISH.format(free_port())  # nobody listens there
    settings.PURGE_URLS = [*settings.PURGE_URLS, down]
    article = make_article()
    assert f"a{article.pk}" in drain()
    assert any(f"a{article.pk}" in keys.split() for keys in varnish)
    kept = Purge.objects.all()
    assert {row.target for row in kept} == {down}  # kept for the next try
    assert any(f"a{article.pk}" in row.keys.split() for row in kept)


def test_purges_for_a_cache_no_longer_configured_are_dropped(varnish, settings):
    make_article()
    settings.PURGE_URLS = []
    drain()
    assert not Purge.objects.exists()


def test_a_change_to_a_story_in_breaking_news_purges_every_page(purging):
    article = make_article()
    Breaking.objects.create(article=article, ends_at=timezone.now() + timedelta(hours=1))
    Purge.objects.all().delete()
    article.status = Article.Status.DRAFT  # unpublished: off the banner on every page
    article.save()
    assert "site" in purged()


def test_a_photo_described_anew_purges_the_stories_showing_it(purging, client):
    from tests.test_photo_library import body_with, make_photo

    photo = make_photo()
    article = make_article(body=body_with(photo))
    other = make_article()
    Purge.objects.all().delete()
    photo.caption = "Новий підпис"
    photo.save()
    assert purged() == {f"a{article.pk}"}
    assert other.pk != article.pk
    # On one machine the page is new at once too.
    assert "Новий підпис" in client.get(article.get_absolute_url()).content.decode()


def test_the_purge_command_reaches_varnish_and_the_app_servers(varnish, client, capsys):
    article = make_article("Старий заголовок")
    drain()
    client.get(article.get_absolute_url())  # kept
    Article.objects.filter(pk=article.pk).update(headline="Новий заголовок")  # no signal
    call_command("purge", "site")
    assert "site" in drain()
    assert "Новий заголовок" in client.get(article.get_absolute_url()).content.decode()
    with pytest.raises(CommandError):
        call_command("purge", "a1; rm")


def test_a_made_up_fragment_number_is_answered_but_kept_nowhere(client, settings):
    settings.ESI_FRAGMENTS = True
    make_article("Найновіша новина")
    response = client.get("/_fragments/latest/987654/")
    assert response.status_code == 200 and "Найновіша новина" in response.content.decode()
    assert "xkey" not in response and "Cache-Control" not in response
    assert client.get("/_fragments/latest/0987654/").status_code == 404
