"""An editor curates the front page and marks breaking news; readers see it
on every page at 1280 and 360 px, and both end on time by themselves."""

import gzip
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from articles.roles import EDITOR
from frontpage.models import Front
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.browser.test_embeds import PAGE_BUDGET
from tests.factories import make_article, make_section
from tests.test_photos import jpeg


def choose_article(page, field, headline):
    """An article in an autocomplete field, by the start of its headline."""
    page.locator(f"{field} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(headline[:8])
    page.locator(".select2-results__option", has_text=headline).click()


def fill_time(page, field, moment):
    local = timezone.localtime(moment)
    page.fill(f"{field}_0", local.strftime("%d.%m.%Y"))
    page.fill(f"{field}_1", local.strftime("%H:%M:%S"))


def front_page_is_whole(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "no sideways scroll"
    )
    sizes = page.eval_on_selector_all(
        "img", "images => images.map(i => [i.getAttribute('width'), i.getAttribute('height')])"
    )
    assert sizes and all(width and height for width, height in sizes), "no layout shift"
    assert serious_accessibility_violations(page) == []


def test_an_editor_pins_a_top_story_and_marks_breaking_news(
    site, watched_page, browser, account, quiet_server
):
    politics = make_section("Внутрішня політика", slug="vnutrishnia-polityka")
    story_of_the_day = make_article(
        "Історія дня: як живе прифронтове місто",
        ago=timedelta(days=1),
        photo=jpeg(1600, 1000),
        photo_credit="Суспільне",
        photo_alt="Вулиця міста після обстрілу",
        photo_focal_x=30,
    )
    make_article("Свіжа новина про енергетику", ago=timedelta(minutes=1))
    breaking = make_article("Вибухи у Львові", section=politics, ago=timedelta(minutes=10))
    first, second = (
        make_article(f"Вибрана історія {n}", ago=timedelta(days=2 + n)) for n in (1, 2)
    )

    page = watched_page
    log_in(page, site, *account("olena", EDITOR))
    page.goto(f"{site}/admin/frontpage/front/{Front.objects.get(section=None).pk}/change/")
    expires = timezone.now() + timedelta(minutes=1)
    page.select_option("#id_slots-0-kind", "top")
    choose_article(page, "#id_slots-0-article", story_of_the_day.headline)
    fill_time(page, "#id_slots-0-expires_at", expires)
    for row, story in ((1, first), (2, second)):
        page.locator(".sortable-slots .add-row a").click()
        page.select_option(f"#id_slots-{row}-kind", "featured")
        choose_article(page, f"#id_slots-{row}-article", story.headline)
    # The second featured story is dragged above the first: positions follow.
    page.locator("#slots-2").drag_to(page.locator("#slots-1"))
    assert page.input_value("#id_slots-2-position") == "2"
    assert page.input_value("#id_slots-1-position") == "3"
    page.get_by_role("button", name="Зберегти", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.goto(f"{site}/admin/frontpage/breaking/add/")
    choose_article(page, "#id_article", breaking.headline)
    ends = timezone.now() + timedelta(minutes=2)
    fill_time(page, "#id_ends_at", ends)
    page.get_by_role("button", name="Зберегти", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert page.problems == []

    reader = browser.new_page()
    responses = []
    reader.on("response", lambda response: responses.append(response))
    reader.goto(site + "/")
    reader.wait_for_load_state("networkidle")
    weight = sum(
        len(gzip.compress(response.body()))
        for response in responses
        if response.request.resource_type != "image"
    )
    assert weight <= PAGE_BUDGET, f"{weight} bytes compressed, photos aside"
    top = reader.locator(".front-top")
    expect(top.locator("h2")).to_have_text(story_of_the_day.headline)
    photo = top.locator("img")
    expect(photo).to_have_attribute("alt", "Вулиця міста після обстрілу")
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "30% 50%" in photo.evaluate("img => getComputedStyle(img).objectPosition")
    expect(reader.locator(".front-featured h3 a")).to_have_text(
        [second.headline, first.headline, "Свіжа новина про енергетику"]
    )
    banner = reader.locator(".breaking-banner")
    expect(banner).to_contain_text("Вибухи у Львові")
    assert banner.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(176, 0, 32)"
    for width in (1280, 360):
        front_page_is_whole(reader, width)
        screenshot(reader, f"front-{width}")
    reader.set_viewport_size({"width": 1280, "height": 900})
    for path in (first.get_absolute_url(), politics.get_absolute_url()):
        reader.goto(site + path)
        expect(reader.locator(".breaking-banner a")).to_have_text("Вибухи у Львові")
    expect(reader.locator("article.card .mark-breaking")).to_have_text("Терміново")

    # The server's clock moves on; the browser's does not, so a later reader
    # comes with an empty browser cache, as one would then.
    quiet_server()
    with time_machine.travel(expires + timedelta(seconds=1), tick=True):
        later = browser.new_context().new_page()
        later.goto(site + "/")
        expect(later.locator(".front-top h2")).to_have_text("Свіжа новина про енергетику")
        expect(later.locator(".breaking-banner")).to_be_visible()
    with time_machine.travel(ends + timedelta(seconds=1), tick=True):
        later = browser.new_context().new_page()
        later.goto(site + first.get_absolute_url())
        expect(later.locator(".breaking-banner")).to_have_count(0)
        later.goto(site + politics.get_absolute_url())
        expect(later.locator(".mark-breaking")).to_have_count(0)


@pytest.mark.parametrize("width", [1280, 360])
def test_the_seed_front_page_leads_with_the_seed_story(site, page, seed_lines, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/")
    expect(page.locator(".front-top h2")).to_have_text(seed_lines[1])
    expect(page.locator(".front-featured h3 a")).to_have_count(3)
    front_page_is_whole(page, width)
