"""A reader on a desktop and on a phone: the seed story, the sidebar, a tag, search."""

import re
from urllib.parse import urlencode

import pytest
import reversion
from playwright.sync_api import expect
from reversion.models import Version

from articles.models import ArticleNote
from articles.roles import EDITOR
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.factories import make_article, make_author, make_section
from tests.hostile import XSS_PAYLOADS

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

    # Another form of the name finds the story, its passage marked; the
    # page's own form narrows it to a section.
    page.fill("#search-q", "умєрова")
    page.press("#search-q", "Enter")
    expect(page.locator("h1")).to_have_text("Пошук: умєрова")
    expect(page.locator(".search-count")).to_have_text("Знайдено 1 результат")
    expect(page.locator("article.card h2 a").first).to_have_text(seed_lines[1])
    expect(page.locator("article.card mark").first).to_have_text("Умєровим")
    page.select_option("#filter-section", label="Оборона")
    page.get_by_role("button", name="Знайти").last.click()
    expect(page).to_have_url(re.compile(r"section=oborona"))
    expect(page.locator("article.card h2 a")).to_have_text([seed_lines[1]])
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


def hostile_newsroom():
    """An article per payload, with the payload in every field an editor or a
    reader's search fills (each cut only to its own field's length): its own
    section, author name and biography, tag, correction note, and a history
    of two hostile versions."""
    articles = []
    for number, payload in enumerate(XSS_PAYLOADS):
        with reversion.create_revision():
            article = make_article(
                payload[:255],
                lead=payload,
                body=payload,
                photo_caption=payload[:300],
                photo_credit=payload[:200],
                section=make_section(name=f"{number}{payload}"[:100]),
                authors=[make_author(name=payload[:200], bio=payload)],
                tags=[f"{number}{payload}"[:100]],
            )
            ArticleNote.objects.create(article=article, kind="correction", text=payload)
        with reversion.create_revision():
            article.lead = payload + payload
            article.save()
        articles.append(article)
    return articles


def test_hostile_text_in_every_field_fires_nothing_in_a_browser(site, watched_page, account):
    """The whole XSS corpus through every field, on every reader page that
    shows it (as a reader) and the admin's pages for it (as an editor): no
    dialog opens, no script runs, and the Content-Security-Policy never has
    to block anything: escaping alone keeps every payload text."""
    articles = hostile_newsroom()
    dialogs, blocked = [], []
    watched_page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())
    watched_page.on(
        "console", lambda m: "Content Security Policy" in m.text and blocked.append(m.text)
    )
    reader_pages = ["/", "/?page=2", "/rss/", "/atom/", "/sitemap-news.xml"]
    for article in articles:
        reader_pages += [
            article.get_absolute_url(),
            article.section.get_absolute_url(),
            article.tags.get().get_absolute_url(),
            article.ordered_authors()[0].get_absolute_url(),
            f"/search/?{urlencode({'q': article.lead[:100]})}",
        ]
    for address in reader_pages:
        watched_page.goto(site + address)
    log_in(watched_page, site, *account("chief-editor", EDITOR))
    watched_page.goto(site + "/admin/articles/article/")
    for article in articles:
        admin = f"/admin/articles/article/{article.pk}"
        one, two = sorted(v.pk for v in Version.objects.get_for_object(article))
        for address in (
            f"{admin}/change/",
            f"{admin}/history/",
            f"{admin}/history/compare/?version_id1={one}&version_id2={two}",
            f"{admin}/history/{one}/",
        ):
            watched_page.goto(site + address)
    assert dialogs == []
    assert blocked == []
    assert not [p for p in watched_page.problems if not p.startswith("404")], watched_page.problems
