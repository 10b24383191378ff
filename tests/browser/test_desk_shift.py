"""A shift on the desk, in a real browser: a reporter files a story and sends
it for review; the editor finds it on the dashboard, comments on the lead and
sends it back; the reporter fixes it and resends; the editor schedules it;
it appears by itself at its time, and every step is in the history."""

import re
import time
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Author
from articles.roles import EDITOR, REPORTER
from tests.browser.conftest import log_in, serious_accessibility_violations
from tests.browser.test_editor_journey import choose_section

HEADLINE = "Умєров обговорив із Лекорню виробництво дронів"
LONG_LEAD = (
    "Міністр оборони України Рустем Умєров у Парижі зустрівся з міністром збройних сил "
    "Франції Себастьєном Лекорню, і вони довго говорили про багато речей."
)
SHORT_LEAD = "Міністри оборони України та Франції домовилися про спільне виробництво дронів."
CYRILLIC = re.compile(r"^[^A-Za-z]+$")


def watched(page):
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.problems = problems
    return page


def desk_list(page, title):
    return page.locator(".desk-list", has=page.locator("h3", has_text=title))


def test_a_shift_on_the_desk(site, browser, account, quiet_server, django_user_model):
    reporter_name, reporter_password = account("ivan", REPORTER)
    editor_name, editor_password = account("olena", EDITOR)
    quiet_server()
    Author.objects.create(
        name="Іван Петренко",
        slug="ivan-petrenko",
        user=django_user_model.objects.get(username="ivan"),
    )
    reporter = watched(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    editor = watched(browser.new_context(viewport={"width": 390, "height": 844}).new_page())

    # The reporter files the story; their byline is already on it.
    log_in(reporter, site, reporter_name, reporter_password)
    reporter.goto(f"{site}/admin/articles/article/add/")
    expect(reporter.locator("h1")).to_have_text("Додати статтю")
    expect(reporter.locator(".field-author select option[selected]")).to_have_text("Іван Петренко")
    reporter.fill("#id_headline", HEADLINE)
    reporter.fill("#id_lead", LONG_LEAD)
    reporter.locator("div.prose-editor > .ProseMirror").click()
    reporter.keyboard.type("Сторони обговорили спільне виробництво дронів в Україні.")
    # The editor's toolbar speaks Ukrainian.
    titles = reporter.eval_on_selector_all(
        ".prose-menubar button[title]", "buttons => buttons.map(b => b.title)"
    )
    assert titles and all(CYRILLIC.match(title) for title in titles), titles
    choose_section(reporter, "Оборона")
    reporter.fill("#id_tags", "Рустем Умєров, Франція")
    reporter.fill("#id_desk_note", "Перевірте, будь ласка, цитату міністра.")
    reporter.get_by_role("button", name="Зберегти й надіслати на перевірку").click()
    expect(reporter.locator(".messagelist")).to_contain_text(HEADLINE)
    quiet_server()
    story = Article.objects.get(headline=HEADLINE)
    assert story.status == Article.Status.IN_REVIEW

    # The editor, on a phone, finds it on the dashboard, comments and sends it back.
    log_in(editor, site, editor_name, editor_password)
    waiting = desk_list(editor, "Чекають моєї перевірки")
    expect(waiting).to_contain_text(HEADLINE)
    waiting.get_by_role("link", name=HEADLINE).click()
    expect(editor.locator("#comments")).to_contain_text("Перевірте, будь ласка, цитату міністра.")
    editor.select_option("#id_comment_field", label="Лід")
    editor.fill("#id_comment_text", "Лід задовгий: одне речення, будь ласка.")
    editor.get_by_role("button", name="Додати коментар").click()
    expect(editor.locator("#comments")).to_contain_text("Лід: Лід задовгий")
    editor.fill("#id_desk_note", "Скоротіть лід, решта добре.")
    editor.get_by_role("button", name="Повернути на доопрацювання").click()
    expect(editor.locator(".messagelist")).to_be_visible()
    assert serious_accessibility_violations(editor) == []

    # The reporter sees it came back, with the comments, fixes the lead and resends.
    reporter.goto(f"{site}/admin/")
    expect(reporter.locator(".desk-count")).to_contain_text("1 новий коментар")
    sent_back = desk_list(reporter, "Повернуто мені")
    sent_back.get_by_role("link", name=HEADLINE).click()
    expect(reporter.locator("#comments")).to_contain_text("Лід: Лід задовгий")
    expect(reporter.locator("#comments")).to_contain_text("Скоротіть лід, решта добре.")
    reporter.fill("#id_lead", SHORT_LEAD)
    reporter.get_by_role("button", name="Зберегти й надіслати на перевірку").click()
    expect(reporter.locator(".messagelist")).to_contain_text(HEADLINE)

    # The editor schedules it a few seconds ahead: it is not on the site until then.
    quiet_server()
    at = timezone.localtime(timezone.now() + timedelta(seconds=20))
    editor.goto(f"{site}/admin/articles/article/{story.pk}/change/")
    editor.select_option("#id_status", "published")
    editor.fill("#id_published_at_0", at.strftime("%d.%m.%Y"))
    editor.fill("#id_published_at_1", at.strftime("%H:%M:%S"))
    editor.get_by_role("button", name="Зберегти", exact=True).click()
    expect(editor.locator(".messagelist")).to_be_visible()
    row = editor.locator("#result_list tr", has=editor.get_by_role("link", name=HEADLINE))
    expect(row).to_contain_text(f"Заплановано на {at.day} ")
    expect(row).not_to_contain_text("Опубліковано")
    quiet_server()
    story.refresh_from_db()
    reader = browser.new_context().new_page()
    assert reader.goto(f"{site}{story.get_absolute_url()}").status == 404

    # It appears by itself at its time.
    deadline = time.monotonic() + 60
    while reader.goto(f"{site}{story.get_absolute_url()}").status != 200:
        assert time.monotonic() < deadline, "the scheduled story never appeared"
        reader.wait_for_timeout(1000)
    expect(reader.locator("h1")).to_have_text(HEADLINE)
    expect(reader.locator("body")).not_to_contain_text("Лід задовгий")

    # Every step is in the history, with who took it.
    editor.goto(f"{site}/admin/articles/article/{story.pk}/history/")
    history = editor.locator("#content").inner_text()
    steps = ["Надіслано на перевірку", "Повернуто на доопрацювання", "Заплановано на"]
    for step in steps:
        assert step in history, step
    assert history.count("Надіслано на перевірку") == 2
    assert "ivan" in history and "olena" in history
    assert reporter.problems == [] and editor.problems == []
