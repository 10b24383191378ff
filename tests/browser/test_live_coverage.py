"""A live page in real browsers: two editors post at once, a reader gets
their updates without a reload and without the page moving under them."""

import json
import subprocess
import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.roles import EDITOR, REPORTER
from live.models import LiveCoverage, Update
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.test_page_quality import VNU_JAR

# What sticks out of the screen, if anything does.
WIDER_THAN_THE_SCREEN = """[...document.querySelectorAll("*")]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 8).map((e) => `${e.tagName}.${e.className}`)"""


def go_live(quiet_server):
    quiet_server()
    article = Article.objects.get(pk=1)
    LiveCoverage.objects.create(article=article, is_live=True)
    Update.objects.create(article=article, title="Міністри зустрілися", body="<p>Почалося.</p>")
    return article


def desk(browser, site, account, username, role, width):
    page = browser.new_context(viewport={"width": width, "height": 844}).new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.problems = problems
    log_in(page, site, *account(username, role))
    page.goto(f"{site}/admin/live/livecoverage/1/change/")
    return page


def write(page, title, text, key_event=False):
    form = page.locator("form.live-post")
    form.locator("input[name=update-title]").fill(title)
    form.get_by_role("textbox", name="текст").click()
    page.keyboard.type(text)
    if key_event:
        form.get_by_label("ключова подія").check()


def nu_errors(html, tmp_path):
    path = tmp_path / "live.html"
    path.write_text(html, encoding="utf-8")
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stderr or '{"messages": []}')["messages"]


def top_of(page, selector):
    return page.evaluate(f"document.querySelector({selector!r}).getBoundingClientRect().top")


@pytest.mark.parametrize("width", [1280, 360])
def test_two_editors_post_at_once_and_a_reader_gets_both_without_a_reload(
    site, browser, account, quiet_server, tmp_path, width
):
    article = go_live(quiet_server)
    reader = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    reader_problems = []
    reader.on("pageerror", lambda error: reader_problems.append(str(error)))
    reader.on("console", lambda m: m.type == "error" and reader_problems.append(m.text))
    reader.goto(site + article.get_absolute_url())
    expect(reader.locator("#live-stream .live-update")).to_have_count(1)
    reader.evaluate("window.loadedOnce = true")  # gone if the page reloads
    reader.locator("#live-stream .live-update").first.scroll_into_view_if_needed()
    reading = top_of(reader, "#live-stream .live-update")

    first = desk(browser, site, account, "editor-a", EDITOR, 1280)
    second = desk(browser, site, account, "editor-b", EDITOR, 390)
    write(first, "Вибухи в центрі", "Працює протиповітряна оборона.")
    write(second, "Уражено енергетику", "Частина міста без світла.", key_event=True)
    # Both sent before either is answered.
    first.locator("form.live-post button[type=submit]").click(no_wait_after=True)
    second.locator("form.live-post button[type=submit]").click(no_wait_after=True)
    for page in (first, second):
        expect(page.locator(".live-post-status")).to_have_text("Опубліковано.")
        expect(page.locator("form.live-post input[name=update-title]")).to_have_value("")
        assert page.problems == []
    quiet_server()
    assert sorted(Update.objects.values_list("title", "author__username")) == [
        ("Вибухи в центрі", "editor-a"),
        ("Міністри зустрілися", None),
        ("Уражено енергетику", "editor-b"),
    ]

    # The reader is told, and nothing moves until they ask.
    button = reader.locator(".live-new-button")
    expect(button).to_have_text("2 нові оновлення", timeout=15000)
    assert top_of(reader, "#live-stream .live-update") == reading
    expect(reader.locator("#live-stream .live-update")).to_have_count(1)
    button.click()
    expect(reader.locator("#live-stream .live-update h3")).to_have_text(
        ["Уражено енергетику", "Вибухи в центрі", "Міністри зустрілися"]
    )
    assert reader.evaluate("window.loadedOnce") is True, "no reload"
    expect(button).to_be_hidden()
    key_event = reader.locator("#live-stream .live-key-event")
    expect(key_event.locator(".mark-key")).to_have_text("Ключова подія")
    expect(reader.locator(".live-key-events a")).to_contain_text(["Уражено енергетику"])
    expect(reader.locator("#live-stream .live-update time").first).to_have_text("щойно")
    assert reader.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert reader_problems == []

    # What the script made is as valid and accessible as what the server sent.
    assert nu_errors(reader.content(), tmp_path) == []
    assert serious_accessibility_violations(reader) == []
    screenshot(reader, f"live-{width}")

    reader.reload()
    data = json.loads(reader.locator("script[type='application/ld+json']").text_content())
    assert data["@type"] == "LiveBlogPosting" and "coverageStartTime" in data
    assert [update["headline"] for update in data["liveBlogUpdate"]] == [
        "Уражено енергетику",
        "Вибухи в центрі",
        "Міністри зустрілися",
    ]
    feed = reader.request.get(site + f"{article.get_absolute_url()}live/rss/")
    titles = [item.findtext("title") for item in ET.fromstring(feed.body()).iter("item")]
    assert titles == ["Уражено енергетику", "Вибухи в центрі", "Міністри зустрілися"]


def test_a_reporter_on_a_phone_keeps_the_text_when_the_post_fails(
    site, browser, account, quiet_server
):
    article = go_live(quiet_server)
    reporter = desk(browser, site, account, "reporter-a", REPORTER, 390)
    expect(reporter.get_by_role("textbox", name="текст")).to_be_visible()
    reporter.evaluate("document.fonts.ready.then(() => true)")  # the editor's icons
    assert reporter.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        reporter.evaluate(WIDER_THAN_THE_SCREEN)
    )
    write(reporter, "Свідчення з місця", "Очевидці чули три вибухи.")
    reporter.route("**/updates/", lambda route: route.abort())
    reporter.locator("form.live-post button[type=submit]").click()
    expect(reporter.locator(".live-post-status")).to_contain_text("Не опубліковано")
    expect(reporter.locator("form.live-post input[name=update-title]")).to_have_value(
        "Свідчення з місця"
    )
    expect(reporter.locator("form.live-post [contenteditable]")).to_contain_text("Очевидці чули")
    reporter.unroute("**/updates/")
    reporter.locator("form.live-post button[type=submit]").click()
    expect(reporter.locator(".live-post-status")).to_have_text(
        "Надіслано редакторові на схвалення."
    )
    expect(reporter.locator(".live-desk-update.waiting")).to_contain_text("Свідчення з місця")
    assert reporter.problems == []
    quiet_server()
    waiting = Update.objects.get(title="Свідчення з місця")
    assert (
        waiting.status == Update.Status.DRAFT and waiting.body == "<p>Очевидці чули три вибухи.</p>"
    )
    assert "Свідчення" not in reporter.request.get(site + article.get_absolute_url()).text()


def test_show_more_adds_older_updates_in_place(site, browser, quiet_server):
    article = go_live(quiet_server)
    for n in range(25):
        Update.objects.create(article=article, title=f"Оновлення {n}", body=f"<p>Текст {n}.</p>")
    reader = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    reader.goto(site + article.get_absolute_url())
    expect(reader.locator("#live-stream .live-update")).to_have_count(20)
    reader.get_by_role("link", name="Показати ще").click()
    expect(reader.locator("#live-stream .live-update")).to_have_count(26)
    assert reader.url == site + article.get_absolute_url(), "in place"
    expect(reader.get_by_role("link", name="Показати ще")).to_have_count(0)
    expect(reader.locator("#live-stream .live-update h3").last).to_have_text("Міністри зустрілися")


def test_an_edit_and_a_deletion_reach_an_open_page_without_a_reload(site, browser, quiet_server):
    article = go_live(quiet_server)
    alarm = Update.objects.create(
        article=article, title="Повітряна тривога", body="<p>У Києві.</p>", is_key_event=True
    )
    strike = Update.objects.create(
        article=article, title="Удар по Києву", body="<p>Загиблих: 3.</p>", is_key_event=True
    )
    mistaken = Update.objects.create(
        article=article, title="Вибух у Борисполі", body="<p>Не підтвердилося.</p>"
    )
    reader = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    problems = []
    reader.on("pageerror", lambda error: problems.append(str(error)))
    reader.goto(site + article.get_absolute_url())
    stream = reader.locator("#live-stream .live-update")
    expect(stream).to_have_count(4)
    expect(reader.locator(".live-key-events a")).to_have_count(2)
    reader.evaluate("window.loadedOnce = true")  # gone if the page reloads

    # An answer from the release before says nothing of deletions: nothing goes.
    asked = []
    older = f'<ol class="live-since" data-latest="{mistaken.pk}"></ol>'
    reader.route("**/after/**", lambda route: asked.append(1) or route.fulfill(body=older))
    reader.wait_for_timeout(7000)
    assert asked and stream.count() == 4

    # The page asks nothing while the test writes (they share the database).
    reader.route("**/after/**", lambda route: route.abort())
    quiet_server()
    strike.title = "Удар по Києву: уточнено"
    strike.body = "<p>Загиблих: 5.</p>"
    strike.save()
    alarm.delete()
    mistaken.delete()
    reader.unroute("**/after/**")

    expect(reader.locator(f"#update-{strike.pk}")).to_contain_text("Загиблих: 5.", timeout=15000)
    expect(reader.locator("#live-stream .live-update h3")).to_have_text(
        ["Удар по Києву: уточнено", "Міністри зустрілися"]
    )
    links = reader.locator(".live-key-events a")
    expect(links).to_have_count(1)
    expect(links).to_contain_text("Удар по Києву: уточнено")
    expect(reader.locator(".live-new-button")).to_be_hidden()

    # The deleted update was the page's newest: it goes on asking after the one left.
    reader.route("**/after/**", lambda route: route.abort())
    quiet_server()
    Update.objects.create(article=article, title="Відбій тривоги", body="<p>Відбій.</p>")
    reader.unroute("**/after/**")
    button = reader.locator(".live-new-button")
    expect(button).to_have_text("1 нове оновлення", timeout=15000)
    button.click()
    expect(reader.locator("#live-stream .live-update h3")).to_have_text(
        ["Відбій тривоги", "Удар по Києву: уточнено", "Міністри зустрілися"]
    )
    assert reader.evaluate("window.loadedOnce") is True, "no reload"
    assert problems == []
