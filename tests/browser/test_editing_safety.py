"""Editing without losing work, in a real browser at a desktop's and a
phone's width: autosave and restore after the tab is killed, a refused save
that keeps its photo, a session that expires mid-edit, a prepared change to
a live story, the live preview, and two editors who see each other."""

import re

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from articles.models import Article
from articles.roles import EDITOR, REPORTER
from editing.models import Autosave, PendingChange
from tests.browser.conftest import log_in, screenshot
from tests.browser.test_editor_journey import choose_section, photo_file
from tests.factories import make_article, make_draft

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
BODY = "div.prose-editor > .ProseMirror"


@pytest.fixture(params=WIDTHS, ids=WIDTHS)
def width(request):
    return WIDTHS[request.param]


@pytest.fixture
def editor_page(site, browser, account, width):
    """A logged-in editor's page at the test's width."""
    context = browser.new_context(viewport=width, locale="uk-UA")
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
    page.account = account("olena", EDITOR)
    log_in(page, site, *page.account)
    yield page
    context.close()


def add_url(site):
    return f"{site}/admin/articles/article/add/"


def change_url(site, article):
    return f"{site}/admin/articles/article/{article.pk}/change/"


def body_text(page):
    return page.locator(BODY).inner_text()


def type_story(page, headline):
    page.fill("#id_headline", headline)
    page.fill("#id_lead", "Лід, який не можна втратити.")
    page.locator(BODY).click()
    page.keyboard.type("Абзац, набраний у редакторі.")


def test_typed_text_survives_a_killed_tab(site, editor_page, quiet_server):
    page = editor_page
    page.goto(add_url(site))
    type_story(page, "Нова історія до автозбереження")
    expect(page.locator(".autosave-status")).to_contain_text("Автозбережено о", timeout=15_000)
    context = page.context
    page.close()  # the tab is killed: no save, no goodbye

    page = context.new_page()
    page.goto(add_url(site))
    offer = page.locator(".editing-autosave")
    expect(offer).to_contain_text(re.compile(r"Відновити незбережені зміни від \d\d:\d\d\?"))
    offer.get_by_role("link", name="Відновити").click()
    expect(page.locator("#id_headline")).to_have_value("Нова історія до автозбереження")
    expect(page.locator("#id_lead")).to_have_value("Лід, який не можна втратити.")
    expect(page.locator(BODY)).to_have_text("Абзац, набраний у редакторі.")
    choose_section(page, "Оборона")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("Нова історія до автозбереження")
    quiet_server()
    assert Article.objects.filter(headline="Нова історія до автозбереження").exists()
    assert not Autosave.objects.exists(), "a saved form leaves no autosave behind"


def test_reopening_a_story_offers_what_was_typed_in_it(site, editor_page, quiet_server):
    page = editor_page
    story = make_draft("Стара назва")
    page.goto(change_url(site, story))
    page.fill("#id_headline", "Нова назва, не збережена")
    expect(page.locator(".autosave-status")).to_contain_text("Автозбережено о", timeout=15_000)
    context = page.context
    page.close()
    page = context.new_page()
    page.goto(change_url(site, story))
    expect(page.locator("#id_headline")).to_have_value("Стара назва")
    page.get_by_role("link", name="Відновити").click()
    expect(page.locator("#id_headline")).to_have_value("Нова назва, не збережена")
    quiet_server()
    story.refresh_from_db()
    assert story.headline == "Стара назва", "an autosave never touches the article"


def test_leaving_with_unsaved_changes_asks_first(site, editor_page):
    page = editor_page
    story = make_draft("Не йди")
    page.goto(change_url(site, story))
    page.fill("#id_headline", "Щойно набране")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "stay on the page"

    page.on("dialog", answer)
    page.locator(".breadcrumbs a").first.click()  # off to the admin's home page
    expect(page.locator("#id_headline")).to_have_value("Щойно набране")
    assert asked == ["beforeunload"]
    assert page.url == change_url(site, story)


def test_a_refused_save_keeps_the_uploaded_photo(site, editor_page, tmp_path, quiet_server):
    page = editor_page
    page.goto(add_url(site))
    page.fill("#id_headline", "Історія з фото")
    page.locator(BODY).click()
    page.keyboard.type("Текст.")
    page.set_input_files("#id_photo", photo_file(tmp_path))
    page.fill("#id_photo_credit", "Міноборони")
    page.fill("#id_photo_alt", "Двоє міністрів")
    page.click("input[name=_continue]")  # no lead: refused

    expect(page.locator(".errornote")).to_be_visible()
    held = page.locator(".held-photo img")
    expect(held).to_be_visible()
    assert held.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(page.locator("#id_headline")).to_have_value("Історія з фото")
    page.fill("#id_lead", "Лід.")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("Історія з фото")
    quiet_server()
    article = Article.objects.get(headline="Історія з фото")
    assert article.photo and article.photo_renditions["sources"]


def test_a_save_after_the_session_expired_loses_nothing(site, editor_page, quiet_server):
    page = editor_page
    story = make_draft("До закінчення сесії")
    page.goto(change_url(site, story))
    page.fill("#id_headline", "Написано, поки сесія спливла")
    page.locator(BODY).click()
    page.keyboard.press("End")
    page.keyboard.type(" Дописане речення.")
    quiet_server()
    Session.objects.all().delete()  # the session expires on the server
    page.click("input[name=_continue]")

    expect(page.locator("#id_username")).to_be_visible()  # the login page
    page.fill("#id_username", page.account[0])
    page.fill("#id_password", page.account[1])
    page.click("input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("сеанс")
    expect(page.locator("#id_headline")).to_have_value("Написано, поки сесія спливла")
    expect(page.locator(BODY)).to_contain_text("Дописане речення.")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("Написано, поки сесія спливла")
    quiet_server()
    story.refresh_from_db()
    assert story.headline == "Написано, поки сесія спливла"
    assert "Дописане речення." in story.body


def test_a_change_to_a_live_story_is_prepared_previewed_and_published(
    site, editor_page, quiet_server
):
    page = editor_page
    story = make_article("Живий заголовок", tags=["ППО"])
    page.goto(change_url(site, story))
    page.fill("#id_headline", "Виправлений заголовок")
    page.click("input[name=_save_pending]")
    expect(page.locator(".messagelist")).to_contain_text("підготовлену зміну")

    reader = page.context.browser.new_page()
    reader.goto(site + story.get_absolute_url())
    expect(reader.locator("h1")).to_have_text("Живий заголовок")

    with page.expect_popup() as popup:
        page.locator(".editing-pending").get_by_role("link", name="переглянути").click()
    preview = popup.value
    expect(preview.locator("h1")).to_have_text("Виправлений заголовок")
    expect(preview.locator('meta[name="robots"]')).to_have_attribute(
        "content", re.compile("noindex")
    )
    preview.close()

    page.locator(".editing-pending").get_by_role("link", name="порівняти").click()
    expect(page.locator(".pending-compare del")).to_contain_text("Живий")
    expect(page.locator(".pending-compare ins")).to_contain_text("Виправлений")
    page.get_by_role("link", name="Відкрити, щоб опублікувати").click()
    expect(page.locator("#id_headline")).to_have_value("Виправлений заголовок")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("Виправлений заголовок")
    reader.close()
    reader = page.context.browser.new_page()  # a reader who has not seen it yet
    reader.goto(site + story.get_absolute_url())
    expect(reader.locator("h1")).to_have_text("Виправлений заголовок")
    quiet_server()
    assert not PendingChange.objects.exists()
    reader.close()


def test_a_reporter_proposes_a_change_to_their_published_story(
    site, browser, account, width, quiet_server
):
    username, password = account("taras", REPORTER)
    story = make_article("Тарасова новина", created_by=User.objects.get(username=username))
    context = browser.new_context(viewport=width)
    page = context.new_page()
    log_in(page, site, username, password)
    page.goto(change_url(site, story))
    expect(page.locator(".editing-notice", has_text="підготовленою зміною")).to_be_visible()
    page.fill("#id_headline", "Тарас пропонує")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("підготовлену зміну")
    quiet_server()
    story.refresh_from_db()
    assert story.headline == "Тарасова новина"
    assert PendingChange.objects.get().created_by.username == username
    context.close()


def test_the_live_preview_follows_typing_at_both_widths(site, editor_page, quiet_server):
    page = editor_page
    story = make_draft("Перед переглядом")
    page.goto(change_url(site, story))
    page.get_by_role("button", name="Живий перегляд").click()
    frame = page.frame_locator("#live-preview iframe")
    expect(frame.locator("h1")).to_have_text("Перед переглядом")
    page.fill("#id_headline", "Набране щойно")
    expect(frame.locator("h1")).to_have_text("Набране щойно")
    expect(frame.locator(".preview-notice")).to_be_visible()
    page.locator("#live-preview").get_by_role("button", name="Телефон").click()
    assert page.locator("#live-preview iframe").evaluate("f => f.clientWidth") <= 390
    screenshot(page, f"live-preview-{page.viewport_size['width']}")
    quiet_server()
    story.refresh_from_db()
    assert story.headline == "Перед переглядом"


def test_two_editors_see_each_other(site, browser, account, settings):
    settings.EDITING_HEARTBEAT_SECONDS = 1
    story = make_draft("Спільна історія")
    first, second = browser.new_context(), browser.new_context(viewport=WIDTHS["phone"])
    olena, petro = first.new_page(), second.new_page()
    log_in(olena, site, *account("olena", EDITOR))
    olena.goto(change_url(site, story))
    log_in(petro, site, *account("petro", EDITOR))
    petro.goto(change_url(site, story))

    notice = petro.locator("#presence-notice")
    expect(notice).to_contain_text(re.compile(r"olena редагує цю статтю з \d\d:\d\d"))
    expect(olena.locator("#presence-notice")).to_contain_text("petro", timeout=10_000)
    notice.get_by_role("button", name="Взяти редагування на себе").click()
    expect(olena.locator("#presence-notice")).to_contain_text(
        "Редагування цієї статті взяв на себе користувач petro", timeout=10_000
    )
    first.close()
    second.close()


def test_the_form_helps_as_it_is_filled(site, editor_page, tmp_path):
    page = editor_page
    page.goto(add_url(site))
    assert page.locator(BODY).evaluate("e => e.getBoundingClientRect().height") >= 250
    page.fill("#id_headline", "Сорок два")
    expect(page.locator(".field-headline .char-counter")).to_have_text("9 / 110")
    checklist = page.locator(".publication-checklist")
    expect(checklist.locator("li[data-field=section]")).to_have_class("todo")
    choose_section(page, "Оборона")
    expect(checklist.locator("li[data-field=section]")).to_have_class("done")

    page.set_input_files("#id_photo", photo_file(tmp_path))
    picker = page.locator(".focal-picker")
    expect(picker).to_be_visible()
    box = picker.locator("img").bounding_box()
    picker.locator("img").click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    expect(page.locator("#id_photo_focal_x")).to_have_value("25")
    expect(page.locator("#id_photo_focal_y")).to_have_value("75")
    expect(checklist.locator("li[data-field=photo_credit]")).to_have_class("todo")

    # After a link, typing goes on after it, in plain text.
    page.locator(BODY).click()
    page.keyboard.type("Джерело")
    for _ in "Джерело":
        page.keyboard.press("Shift+ArrowLeft")
    page.wait_for_function(
        """() => {
            const editor = document.querySelector("div.prose-editor > .ProseMirror").editor;
            return !editor.state.selection.empty;
        }"""
    )
    page.locator("button[title='Вставити посилання']").click()
    dialog = page.locator("dialog.prose-editor-dialog")
    dialog.locator("input[name=href]").fill("https://www.mil.gov.ua/")
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_be_hidden()
    page.keyboard.type(" далі")
    expect(page.locator(BODY)).to_contain_text("Джерело далі")
    expect(page.locator(f"{BODY} a")).to_have_text("Джерело")


@pytest.mark.parametrize("where", ["list", "add", "change", "history"])
def test_editor_pages_fit_a_phone(site, browser, account, where):
    story = make_article("Історія для телефона", tags=["ППО"])
    context = browser.new_context(viewport=WIDTHS["phone"])
    page = context.new_page()
    log_in(page, site, *account("olena", EDITOR))
    url = {
        "list": f"{site}/admin/articles/article/",
        "add": add_url(site),
        "change": change_url(site, story),
        "history": f"{site}/admin/articles/article/{story.pk}/history/",
    }[where]
    page.goto(url)
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{where}: {overflow}px wider than the phone"
    clipped = page.evaluate(
        """() => [...document.querySelectorAll(
                "#content :is(input, select, textarea, th, td), #content .submit-row *")]
            .filter(e => e.offsetParent && e.type !== "hidden")
            .filter(e => {
                const box = e.getBoundingClientRect();
                return box.right > window.innerWidth + 1 || box.left < -1;
            })
            .map(e => e.name || e.className || e.tagName)"""
    )
    assert clipped == [], f"{where}: {clipped}"
    screenshot(page, f"phone-{where}")
    context.close()
