"""An editor files a story in the admin with a real browser; a reporter cannot publish."""

from io import BytesIO

from django.contrib.auth.models import User
from PIL import Image
from playwright.sync_api import expect

from articles.models import Article
from articles.roles import EDITOR, REPORTER
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.browser.test_reader_journey import SEED_STORY

HEADLINE = "Умєров і Лекорню домовилися про спільне виробництво"


def photo_file(tmp_path):
    path = tmp_path / "ministers.jpg"
    buffer = BytesIO()
    Image.new("RGB", (1600, 900), (30, 60, 120)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def write_body(page):
    """Type into the rich-text editor: a bold phrase, a quotation and a link."""
    editor = page.locator("div.prose-editor > .ProseMirror")
    editor.click()
    page.keyboard.type("Міністри обговорили ")
    page.locator("button[title='Жирний']").click()
    page.keyboard.type("спільне виробництво")
    page.locator("button[title='Жирний']").click()
    page.keyboard.type(" зброї.")
    page.keyboard.press("Enter")
    page.locator("button[title='Цитата']").click()
    page.keyboard.type('"Наші команди вже працюють", – зазначив Умєров.')
    page.keyboard.press("Enter")
    page.locator("button[title='Цитата']").click()  # out of the quotation
    page.keyboard.type("Джерело: Міноборони")
    for _ in "Міноборони":
        page.keyboard.press("Shift+ArrowLeft")
    # ProseMirror takes the DOM selection into its own state a moment later;
    # wait for its state, as a person would see the word highlighted. For the
    # same reason the link comes last: no key follows its dialog.
    page.wait_for_function(
        """word => {
            const editor = document.querySelector("div.prose-editor > .ProseMirror").editor;
            const {from, to} = editor.state.selection;
            return editor.state.doc.textBetween(from, to) === word;
        }""",
        arg="Міноборони",
    )
    page.locator("button[title='Вставити посилання']").click()
    dialog = page.locator("dialog.prose-editor-dialog")
    dialog.locator("input[name=href]").fill("https://www.mil.gov.ua/")
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_be_hidden()


def choose_section(page, name):
    page.locator(".field-section .select2-selection").click()
    page.locator(".select2-search__field").fill(name[:4])
    page.locator(".select2-results__option", has_text=name).click()


def test_an_editor_files_illustrates_previews_and_publishes_a_story(
    site, watched_page, account, tmp_path
):
    page = watched_page
    log_in(page, site, *account("olena", EDITOR))
    page.goto(f"{site}/admin/articles/article/add/")
    page.fill("#id_headline", HEADLINE)
    page.fill("#id_lead", "Міністри оборони України та Франції домовилися про нові проєкти.")
    write_body(page)
    page.set_input_files("#id_photo", photo_file(tmp_path))
    page.fill("#id_photo_credit", "Міноборони")
    page.fill("#id_photo_alt", "Рустем Умєров і Себастьєн Лекорню тиснуть руки")
    choose_section(page, "Оборона")
    page.locator("#id_tags").press_sequentially("Умє")
    page.locator(".tag-suggestions button", has_text="Рустем Умєров").click()
    expect(page.locator("#id_tags")).to_have_value("Рустем Умєров, ")
    page.locator("#id_tags").press_sequentially("ППО")
    screenshot(page, "admin-article-form")
    page.click("input[name=_continue]")  # saved as a draft

    expect(page.locator(".messagelist")).to_contain_text(HEADLINE)
    article = Article.objects.get(headline=HEADLINE)
    assert article.status == "draft"
    assert article.body == (
        "<p>Міністри обговорили <strong>спільне виробництво</strong> зброї.</p>"
        '<blockquote><p>"Наші команди вже працюють", – зазначив Умєров.</p></blockquote>'
        '<p>Джерело: <a href="https://www.mil.gov.ua/" title="" rel="noopener">Міноборони</a></p>'
    )
    assert sorted(article.tags.names()) == ["ППО", "Рустем Умєров"]
    assert article.photo_renditions["sources"]

    page.get_by_role("link", name="Дивитися на сайті").click()
    expect(page.locator(".preview-notice")).to_be_visible()
    expect(page.locator("h1")).to_have_text(HEADLINE)
    expect(page.locator("figure.hero img")).to_have_attribute(
        "alt", "Рустем Умєров і Себастьєн Лекорню тиснуть руки"
    )
    assert page.locator("figure.hero img").evaluate("img => img.complete && img.naturalWidth > 0")

    page.go_back()
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text(HEADLINE)

    page.goto(site + SEED_STORY)
    expect(page.locator("aside.latest li h3").first).to_have_text(HEADLINE)
    assert page.problems == []


def test_the_admin_article_form_has_no_serious_accessibility_violations(site, page, account):
    log_in(page, site, *account("olena", EDITOR))
    page.goto(f"{site}/admin/articles/article/add/")
    page.wait_for_selector("div.prose-editor > .ProseMirror")
    assert serious_accessibility_violations(page) == []


def test_a_reporter_trying_to_publish_is_refused(site, page, account):
    username, password = account("taras", REPORTER)
    draft = Article.objects.create(
        headline="Чернетка Тараса",
        lead="Лід.",
        body="<p>Текст.</p>",
        created_by=User.objects.get(username=username),
    )
    draft.tags.add("ППО")
    log_in(page, site, username, password)
    page.goto(f"{site}/admin/articles/article/{draft.pk}/change/")
    expect(page.locator("#id_status")).to_have_count(0)
    page.goto(f"{site}/admin/articles/article/")
    expect(page.locator("select[name=action] option[value=publish]")).to_have_count(0)

    # The request a reporter could craft by hand is refused on the server too.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    page.request.post(
        f"{site}/admin/articles/article/",
        form={"action": "publish", "_selected_action": str(draft.pk), "csrfmiddlewaretoken": token},
        headers={"Referer": f"{site}/admin/articles/article/"},
    )
    draft.refresh_from_db()
    assert draft.status == "draft"
    page.goto(site + draft.get_absolute_url())
    expect(page.locator(".preview-notice")).to_be_visible()  # Taras previews his draft
    page.context.clear_cookies()
    page.goto(site + draft.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Сторінку не знайдено")  # the public cannot
