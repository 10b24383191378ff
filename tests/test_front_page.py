"""The curated front page: places editors fill, each falling back to the
newest story when it expires; section pages' top stories; breaking news;
the site's identity."""

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from frontpage.models import Breaking, Front, Slot
from tests.factories import make_article, make_draft, make_section
from tests.forms import form_data
from tests.test_photos import jpeg

pytestmark = pytest.mark.django_db


def the_front():
    return Front.objects.get(section=None)


def pin(article, kind=Slot.Kind.TOP, front=None, **fields):
    return Slot.objects.create(front=front or the_front(), article=article, kind=kind, **fields)


def split_time(name, moment):
    """A time as the admin's two fields send it, in Kyiv."""
    local = timezone.localtime(moment)
    return {f"{name}_0": f"{local:%d.%m.%Y}", f"{name}_1": f"{local:%H:%M:%S}"}


def mark_breaking(article, lasting=timedelta(hours=1)):
    return Breaking.objects.create(article=article, ends_at=timezone.now() + lasting)


def top_story(soup):
    return soup.select_one(".front-top h2 a").get_text()


def story_links(soup):
    """Every link to a story on the page, the breaking banner's included."""
    return [a["href"] for a in soup.select("a[href^='/news/']") if a["href"] != "/news/"]


def test_the_newest_story_leads_when_nothing_is_pinned(soup_of):
    make_article("Старіша", ago=timedelta(hours=2))
    make_article("Найновіша", ago=timedelta(minutes=5))
    assert top_story(soup_of("/")) == "Найновіша"


def test_a_pinned_story_leads_however_old(soup_of):
    old = make_article("Історія дня", ago=timedelta(days=2))
    make_article("Свіжа новина", ago=timedelta(minutes=5))
    pin(old)
    assert top_story(soup_of("/")) == "Історія дня"


def test_the_top_story_shows_its_photo_with_its_size_and_focal_point(soup_of):
    story = make_article(
        photo=jpeg(1600, 900), photo_credit="Міноборони", photo_alt="Двоє міністрів",
        photo_focal_x=20, photo_focal_y=70,
    )  # fmt: skip
    pin(story)
    img = soup_of("/").select_one(".front-top img")
    assert img["alt"] == "Двоє міністрів"
    assert (img["width"], img["height"]) == ("1200", "675")
    assert "object-position: 20% 70%" in img["style"]
    assert "webp" in soup_of("/").select_one(".front-top source")["type"]


def test_an_expired_place_falls_back_to_the_newest_story_by_itself(client, soup_of):
    old = make_article("Історія дня", ago=timedelta(days=2))
    make_article("Свіжа новина", ago=timedelta(minutes=5))
    pin(old, expires_at=timezone.now() + timedelta(minutes=1))
    assert top_story(soup_of("/")) == "Історія дня"
    assert top_story(soup_of("/")) == "Історія дня", "from the page cache"
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        # Nothing was saved: the expiry itself renews the cached page.
        assert top_story(soup_of("/")) == "Свіжа новина"


def test_a_page_is_kept_by_browsers_no_longer_than_its_next_expiry(client):
    pin(make_article(ago=timedelta(days=1)), expires_at=timezone.now() + timedelta(seconds=20))
    max_age = int(client.get("/")["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age <= 20


def test_an_unpublished_story_in_a_place_is_not_shown(soup_of):
    draft = make_draft("Чернетка")
    make_article("Опублікована")
    pin(draft)
    page = soup_of("/")
    assert top_story(page) == "Опублікована"
    assert "Чернетка" not in page.get_text()


def test_featured_places_keep_their_order_and_the_row_fills_with_the_newest(soup_of):
    front = the_front()
    front.featured_count = 4
    front.save()
    newest = [make_article(f"Нова {n}", ago=timedelta(minutes=n)) for n in range(1, 8)]
    first, second = (
        make_article("Вибрана 1", ago=timedelta(days=3)),
        make_article("Вибрана 2", ago=timedelta(days=4)),
    )
    pin(second, Slot.Kind.FEATURED, position=2)
    pin(first, Slot.Kind.FEATURED, position=1)
    page = soup_of("/")
    featured = [a.get_text() for a in page.select(".front-featured h3 a")]
    assert top_story(page) == "Нова 1"
    assert featured == ["Вибрана 1", "Вибрана 2", "Нова 2", "Нова 3"]
    latest = [a.get_text() for a in page.select(".front-latest li a")]
    assert latest == [a.headline for a in newest[3:]]


def test_no_story_appears_twice_on_the_front_page(soup_of):
    sections = [make_section() for _ in range(3)]
    stories = [make_article(section=sections[n % 3], ago=timedelta(minutes=n)) for n in range(40)]
    pin(stories[30])
    pin(stories[2], Slot.Kind.FEATURED)
    mark_breaking(stories[5])
    links = story_links(soup_of("/"))
    assert len(links) > 20
    assert [link for link, times in Counter(links).items() if times > 1] == []


def test_each_section_has_a_block_of_its_latest_stories(soup_of):
    defence, _quiet = make_section("Оборона"), make_section("Світ")
    for n in range(20):
        make_article(f"Загальна {n}", ago=timedelta(minutes=n))
    make_article("Про оборону", section=defence, ago=timedelta(days=1))
    blocks = {
        block.h2.get_text(): [a.get_text() for a in block.select("h3 a")]
        for block in soup_of("/").select(".front-section")
    }
    assert blocks["Оборона"] == ["Про оборону"]
    assert "Світ" not in blocks, "a section with nothing new has no block"


def test_the_latest_column_tells_the_time_and_the_day_for_older_stories(soup_of):
    for n in range(5):
        make_article(ago=timedelta(minutes=n))
    make_article("Позавчорашня", ago=timedelta(days=2))
    times = [t.get_text() for t in soup_of("/").select(".front-latest time")]
    assert all(len(t) == 5 and t[2] == ":" for t in times[:-1]), times
    assert times[-1].count(" ") == 2, times[-1]  # "25 листопада, 14:32"


def test_older_front_pages_lead_to_all_news(client):
    response = client.get("/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/news/?page=2"
    assert client.get("/?page=abc").status_code == 404


# Section pages


def test_a_section_page_leads_with_its_pinned_story(soup_of):
    section = make_section()
    old = make_article("Головне в рубриці", section=section, ago=timedelta(days=3))
    make_article("Нове в рубриці", section=section)
    pin(old, front=Front.objects.create(section=section))
    page = soup_of(section.get_absolute_url())
    assert page.select_one(".card-lead h2 a").get_text() == "Головне в рубриці"
    headlines = [a.get_text() for a in page.select("article.card h2 a")]
    assert headlines == ["Головне в рубриці", "Нове в рубриці"]
    assert top_story(soup_of("/")) == "Нове в рубриці", "the front page has its own"


# Breaking news


def test_breaking_news_has_a_banner_on_every_page_but_its_own(soup_of):
    other = make_article("Інша новина", tags=["ППО"], ago=timedelta(minutes=1))
    breaking = make_article("Вибухи в Києві", ago=timedelta(minutes=30))
    mark_breaking(breaking)
    for url in ["/", other.get_absolute_url(), other.section.get_absolute_url(), "/tags/ppo/"]:
        banner = soup_of(url).select_one(".breaking-banner")
        assert banner.a.get_text() == "Вибухи в Києві", url
        assert banner.a["href"] == breaking.get_absolute_url()
    own_page = soup_of(breaking.get_absolute_url())
    assert own_page.select_one(".breaking-banner") is None


def test_breaking_news_is_marked_in_lists_and_feeds(client, soup_of):
    breaking = make_article("Вибухи в Києві")
    mark_breaking(breaking)
    card = soup_of(breaking.section.get_absolute_url()).select_one("article.card h2")
    assert card.select_one(".mark-breaking").get_text() == "Терміново"
    sidebar = soup_of(make_article().get_absolute_url()).select_one("aside.latest")
    assert "Терміново" in sidebar.get_text()
    rss = client.get("/rss/").content.decode()
    assert "<category>Терміново</category>" in rss


def test_a_breaking_top_story_carries_the_mark_instead_of_a_banner(soup_of):
    breaking = make_article("Вибухи в Києві")
    mark_breaking(breaking)
    page = soup_of("/")
    assert page.select_one(".breaking-banner") is None
    assert page.select_one(".front-top .mark-breaking").get_text() == "Терміново"


def test_breaking_news_ends_on_time_by_itself(soup_of):
    mark_breaking(make_article("Вибухи в Києві"), lasting=timedelta(minutes=5))
    article = make_article("Інша новина")
    assert soup_of(article.get_absolute_url()).select_one(".breaking-banner")
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        page = soup_of(article.get_absolute_url())
    assert page.select_one(".breaking-banner") is None
    assert "Терміново" not in page.get_text()


def test_breaking_news_of_an_unpublished_story_waits_for_it(soup_of):
    mark_breaking(make_draft("Ще не вийшло"))
    page = soup_of(make_article().get_absolute_url())
    assert page.select_one(".breaking-banner") is None


def test_readers_see_breaking_news_turned_on_and_off_at_once(editor_client):
    story = make_article("Вибухи в Києві", ago=timedelta(minutes=30))
    page = make_article("Інша новина").get_absolute_url()
    reader = Client()

    def banner():
        return BeautifulSoup(reader.get(page).content, "html.parser").select_one(".breaking-banner")

    assert banner() is None  # and the page is now in the page cache
    editor_client.post(
        reverse("admin:frontpage_breaking_add"),
        {"article": story.pk, **split_time("ends_at", timezone.now() + timedelta(days=1))},
    )
    assert banner().a.get_text() == "Вибухи в Києві"
    editor_client.post(
        reverse("admin:frontpage_breaking_changelist"),
        {"action": "end_now", "_selected_action": [story.breaking_marks.get().pk]},
    )
    assert banner() is None


# Editors' screens


def slot_form(front, rows):
    data = {
        "featured_count": front.featured_count,
        "slots-TOTAL_FORMS": len(rows),
        "slots-INITIAL_FORMS": 0,
        "slots-MIN_NUM_FORMS": 0,
        "slots-MAX_NUM_FORMS": 1000,
    }
    for n, (kind, article, position) in enumerate(rows):
        data |= {
            f"slots-{n}-kind": kind,
            f"slots-{n}-article": article.pk,
            f"slots-{n}-position": position,
        }
    return data


def test_an_editor_fills_the_front_page_places(editor_client, soup_of):
    front = the_front()
    top, first, second = (make_article(ago=timedelta(days=n)) for n in (1, 2, 3))
    url = reverse("admin:frontpage_front_change", args=[front.pk])
    form = slot_form(front, [("top", top, 1), ("featured", second, 3), ("featured", first, 2)])
    assert editor_client.post(url, form).status_code == 302
    page = soup_of("/", using=Client())
    assert top_story(page) == top.headline
    featured = [a.get_text() for a in page.select(".front-featured h3 a")]
    assert featured[:2] == [first.headline, second.headline]


@pytest.mark.parametrize(
    "rows, message",
    [
        ([("top", 0, 1), ("top", 1, 2)], "лише одна головна"),
        ([("featured", n, n) for n in range(4)], "вміщує 3"),
        ([("top", 0, 1), ("featured", 0, 2)], "одне місце"),
    ],
)
def test_places_that_do_not_fit_the_page_are_refused(editor_client, rows, message):
    front = the_front()
    articles = [make_article() for _ in range(4)]
    form = slot_form(front, [(kind, articles[n], position) for kind, n, position in rows])
    response = editor_client.post(reverse("admin:frontpage_front_change", args=[front.pk]), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Slot.objects.exists()


def test_a_section_page_takes_a_top_story_only(editor_client):
    front = Front.objects.create(section=make_section())
    url = reverse("admin:frontpage_front_change", args=[front.pk])
    form = BeautifulSoup(editor_client.get(url).content, "html.parser")
    assert [o["value"] for o in form.select("#id_slots-0-kind option")] == ["top"]
    response = editor_client.post(url, slot_form(front, [("featured", make_article(), 1)]))
    assert response.status_code == 200
    assert not Slot.objects.exists()


def test_reporters_cannot_curate_nor_mark_breaking(reporter_client):
    for name in ["frontpage_front_changelist", "frontpage_breaking_add"]:
        assert reporter_client.get(reverse(f"admin:{name}")).status_code == 403


def test_deleting_a_pinned_story_gives_its_place_to_the_newest(soup_of):
    pinned = make_article("Історія дня", ago=timedelta(days=1))
    make_article("Свіжа новина")
    pin(pinned)
    assert top_story(soup_of("/")) == "Історія дня"
    pinned.delete()
    assert top_story(soup_of("/")) == "Свіжа новина"


# The site's identity


def test_the_site_identity_is_set_in_one_place(settings, client, soup_of):
    settings.SITE_NAME, settings.SITE_DESCRIPTION = "Київський вісник", "Новини столиці"
    article = make_article()
    front = soup_of("/")
    assert front.title.get_text() == "Київський вісник — Новини столиці"
    assert front.select_one(".site-name").get_text(strip=True) == "Київський вісник"
    assert (
        front.select_one("meta[name=description]")["content"] == "Київський вісник — Новини столиці"
    )
    rss = client.get("/rss/").content.decode()
    assert "<title>Київський вісник</title>" in rss
    assert "<description>Новини столиці</description>" in rss
    assert "Київський вісник" in client.get("/sitemap-news.xml").content.decode()
    page = soup_of(article.get_absolute_url())
    assert page.title.get_text().endswith("| Київський вісник")
    assert (
        '"name": "Київський вісник"' in page.select_one("script[type='application/ld+json']").string
    )


def test_the_admin_header_names_the_site(settings, editor_client):
    settings.SITE_NAME = "Київський вісник"
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "<title>" in page and "Київський вісник" in page.split("</title>")[0]
    branding = BeautifulSoup(page, "html.parser").select_one("#site-name")
    assert branding.get_text(strip=True) == "Київський вісник"
    assert branding.img["src"].startswith("/static/img/logo.")


def test_the_front_page_stands_without_its_row_or_any_story(client, soup_of):
    the_front().delete()
    assert "Статей поки немає." in soup_of("/").get_text()
    make_article("Перша новина")
    assert top_story(soup_of("/")) == "Перша новина"


def test_an_editor_adds_a_section_page_and_lists_every_page(editor_client):
    section = make_section("Економіка")
    add = reverse("admin:frontpage_front_add")
    assert editor_client.post(add, {}).status_code == 200, "a new page is a section's"
    response = editor_client.post(add, {"section": section.pk, **slot_form(Front(), [])})
    assert response.status_code == 302
    pin(make_article("Головне в економіці"), front=section.front)
    listing = editor_client.get(reverse("admin:frontpage_front_changelist")).content.decode()
    assert "Головна сторінка" in listing and "Рубрика: Економіка" in listing
    assert "Головне в економіці" in listing and "найсвіжіша новина (автоматично)" in listing


def test_a_kept_page_tells_browsers_what_is_left_until_the_next_expiry(client):
    pin(make_article(ago=timedelta(days=1)), expires_at=timezone.now() + timedelta(seconds=50))
    assert "max-age=" in client.get("/")["Cache-Control"]  # now in the page cache
    with time_machine.travel(timezone.now() + timedelta(seconds=40)):
        response = client.get("/")
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age <= 10


def test_an_editor_swaps_the_stories_of_two_places(editor_client, soup_of):
    front = the_front()
    first, second = make_article("Перша", ago=timedelta(days=1)), make_article("Друга")
    top, featured = pin(first), pin(second, Slot.Kind.FEATURED, position=2)
    url = reverse("admin:frontpage_front_change", args=[front.pk])
    form = slot_form(front, [("top", second, 1), ("featured", first, 2)])
    form |= {"slots-INITIAL_FORMS": 2, "slots-0-id": top.pk, "slots-1-id": featured.pk}
    assert editor_client.post(url, form).status_code == 302
    assert top_story(soup_of("/", using=Client())) == "Друга"


def test_places_that_are_over_neither_count_nor_stay(editor_client):
    front = the_front()
    over = pin(make_article("Учорашня"), expires_at=timezone.now() - timedelta(hours=1))
    url = reverse("admin:frontpage_front_change", args=[front.pk])
    page = editor_client.get(url).content.decode()
    assert "Учорашня" not in page, "the form lists only places still on the page"
    response = editor_client.post(url, slot_form(front, [("top", make_article(), 1)]))
    assert response.status_code == 302
    assert not Slot.objects.filter(pk=over.pk).exists()


def test_a_place_cannot_end_in_the_past(editor_client):
    front = the_front()
    form = slot_form(front, [("top", make_article(), 1)])
    form |= split_time("slots-0-expires_at", timezone.now() - timedelta(minutes=5))
    response = editor_client.post(reverse("admin:frontpage_front_change", args=[front.pk]), form)
    assert "Цей час минув" in response.content.decode()
    assert not Slot.objects.exists()


@pytest.mark.parametrize(
    "hostile",
    [
        {"slots-0-kind": "<script>alert(1)</script>"},
        {"slots-0-expires_at_0": "01.01.0001", "slots-0-expires_at_1": "00:00"},
        {"slots-0-expires_at_0": "31.12.9999", "slots-0-expires_at_1": "23:59"},
        {"slots-0-article": "abc"},
        {"slots-0-article": "99999999999999999999999"},
        {"slots-0-position": "99999999999"},
    ],
)
def test_hostile_places_are_refused_with_the_form_kept(editor_client, hostile):
    front = the_front()
    form = slot_form(front, [("top", make_article(), 1)]) | hostile
    response = editor_client.post(reverse("admin:frontpage_front_change", args=[front.pk]), form)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Slot.objects.exists()


@pytest.mark.parametrize(
    "hostile",
    [
        {"ends_at_0": "01.01.0001", "ends_at_1": "00:00"},
        {"ends_at_0": "31.12.9999", "ends_at_1": "23:59"},
        {"article": "abc"},
        {"article": "99999999999999999999999"},
    ],
)
def test_hostile_breaking_news_is_refused(editor_client, hostile):
    form = {
        "article": make_article().pk,
        **split_time("ends_at", timezone.now() + timedelta(hours=1)),
    }
    response = editor_client.post(reverse("admin:frontpage_breaking_add"), form | hostile)
    assert response.status_code == 200
    assert not Breaking.objects.exists()


def test_a_story_is_marked_breaking_again_another_time(editor_client, soup_of):
    story = make_article("Вибухи в Києві")
    mark_breaking(story, lasting=timedelta(hours=-1))  # over
    add = reverse("admin:frontpage_breaking_add")
    ends = split_time("ends_at", timezone.now() + timedelta(hours=1))
    assert editor_client.post(add, {"article": story.pk, **ends}).status_code == 302
    again = editor_client.post(add, {"article": story.pk, **ends})
    assert "вже позначена" in again.content.decode()
    assert story.breaking_marks.count() == 2
    page = soup_of(make_article().get_absolute_url(), using=Client())
    assert page.select_one(".breaking-banner a").get_text() == "Вибухи в Києві"


def test_the_breaking_storys_own_page_shows_the_other_breaking_story(soup_of):
    first, latest = make_article("Перша термінова"), make_article("Друга термінова")
    mark_breaking(first)
    mark_breaking(latest)
    banner = soup_of(latest.get_absolute_url()).select_one(".breaking-banner a")
    assert banner.get_text() == "Перша термінова"


def test_a_story_placed_in_the_row_is_not_moved_to_the_top(soup_of):
    newest = make_article("Найновіша", ago=timedelta(minutes=1))
    make_article("Трохи старша", ago=timedelta(minutes=5))
    pin(newest, Slot.Kind.FEATURED)
    page = soup_of("/")
    assert top_story(page) == "Трохи старша"
    assert page.select_one(".front-featured h3 a").get_text() == "Найновіша"


def test_an_older_years_story_tells_its_year_in_the_latest_column(soup_of):
    for n in range(4):
        make_article(ago=timedelta(minutes=n))
    make_article("Торішня", published_at=timezone.now() - timedelta(days=400))
    stamp = soup_of("/").select(".front-latest time")[-1]
    assert str(timezone.localtime().year - 1) in stamp.get_text()


def test_a_place_that_runs_out_while_the_form_is_open_is_cleared_on_save(editor_client):
    front = the_front()
    place = pin(make_article("Ненадовго"), expires_at=timezone.now() + timedelta(minutes=1))
    url = reverse("admin:frontpage_front_change", args=[front.pk])
    form = form_data(editor_client.get(url), form_id="front_form")
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert editor_client.post(url, form).status_code == 302
    assert not Slot.objects.filter(pk=place.pk).exists()


def test_a_breaking_top_story_leaves_the_banner_to_the_other_breaking_story(soup_of):
    earlier, latest = make_article("Перша термінова"), make_article("Друга термінова")
    mark_breaking(earlier)
    mark_breaking(latest)
    pin(latest)
    page = soup_of("/")
    assert top_story(page) == "Друга термінова"
    assert page.select_one(".breaking-banner a").get_text() == "Перша термінова"


def test_an_editor_marks_a_story_breaking_from_its_own_form(editor_client):
    story = make_article("Вибухи в Києві")
    form = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    link = BeautifulSoup(form.content, "html.parser").find("a", string="Позначити «Терміново»")
    add = BeautifulSoup(editor_client.get(link["href"]).content, "html.parser")
    assert add.select_one("#id_article option[selected]")["value"] == str(story.pk)
