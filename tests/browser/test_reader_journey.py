"""A reader on a desktop and on a phone: the seed story, the sidebar, a tag, search."""

import pytest
from playwright.sync_api import expect

from articles.roles import EDITOR
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.hostile import XSS_PAYLOADS
from tests.test_writing import article_with_payload

BODY_LINES = range(5, 18, 2)


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("width", [1280, 360])
def test_a_reader_reads_the_seed_story_and_moves_on(site, watched_page, seed_lines, width):
    page = watched_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/")
    page.get_by_role("link", name=seed_lines[1]).first.click()

    expect(page.locator("h1")).to_have_text(seed_lines[1])
    expect(page.locator("figure.hero .credit")).to_have_text("Фото: з вільного доступу")
    expect(page.locator(".lead")).to_be_visible()
    assert page.locator(".article-body p").all_inner_texts() == [seed_lines[n] for n in BODY_LINES]
    sidebar = page.locator("aside.latest")
    expect(sidebar.locator("h2")).to_have_text("Останні новини")
    expect(sidebar.locator("li h3")).to_have_text([seed_lines[21], seed_lines[25], seed_lines[29]])

    body, aside = box(page, ".article-body"), box(page, "aside.latest")
    if width == 1280:  # beside the article
        assert aside["x"] >= body["x"] + body["width"]
        assert aside["y"] < body["y"] + body["height"]
    else:  # below it
        assert aside["y"] >= body["y"] + body["height"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "no sideways scroll"
    )
    screenshot(page, f"article-{width}")

    sidebar.get_by_role("link", name=seed_lines[25]).click()
    expect(page.locator("h1")).to_have_text(seed_lines[25])

    page.go_back()
    page.locator("ul.tags").get_by_role("link", name="ППО", exact=True).click()
    expect(page.locator("h1")).to_have_text("ППО")

    page.fill("#search-q", "умєров")
    page.press("#search-q", "Enter")
    expect(page.locator("h1")).to_have_text("Пошук: умєров")
    expect(page.locator("article.card h2 a").first).to_have_text(seed_lines[1])
    assert page.problems == []


SEED_STORY = "/news/" + (
    "ministry-oborony-ukrainy-ta-frantsii-obhovoryly-posylennia-spivrobitnytstva-i-pidtrymky-u-paryzhi/"
)
PAGES = {
    "front": "/",
    "article": SEED_STORY,
    "tag": "/tags/ppo/",
    "search": "/search/?q=ППО",
    "404": "/news/no-such-story/",
}


@pytest.mark.parametrize("name", PAGES)
def test_reader_pages_have_no_serious_accessibility_violations(site, page, name):
    page.goto(site + PAGES[name])
    assert serious_accessibility_violations(page) == []


def test_pages_read_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + PAGES["article"])
    expect(page.locator(".article-body p")).to_have_count(7)
    expect(page.locator("aside.latest li")).to_have_count(3)
    context.close()


def test_hostile_text_in_every_field_fires_nothing_in_a_browser(site, watched_page, account):
    """The whole XSS corpus in one article, on reader pages (as a reader) and
    the admin's own pages for it (as an editor): no dialog opens. Escaping
    keeps the payloads text; the Content-Security-Policy would also block an
    inline script that slipped through; this fails if both give way."""
    article = article_with_payload("".join(XSS_PAYLOADS))
    dialogs = []
    watched_page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())
    reader_pages = [
        article.get_absolute_url(),
        "/",
        article.tags.get().get_absolute_url(),
        article.section.get_absolute_url(),
        "/rss/",
    ]
    admin = f"/admin/articles/article/{article.pk}"
    admin_pages = [f"{admin}/change/", f"{admin}/history/", f"{admin}/delete/"]
    for address in reader_pages:
        watched_page.goto(site + address)
    log_in(watched_page, site, *account("chief-editor", EDITOR))
    for address in admin_pages:
        watched_page.goto(site + address)
    assert dialogs == []
