"""Embedded posts: an editor pastes links into the body; a reader's page asks
nothing of Telegram or YouTube until the reader asks for the post."""

import gzip
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.roles import EDITOR
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.factories import make_article

TELEGRAM = "https://t.me/ukrpravda_news/12345"
YOUTUBE = "https://youtu.be/dQw4w9WgXcQ"
PROVIDER_HOSTS = ("t.me", "www.youtube-nocookie.com")
PAGE_BUDGET = 50 * 1024  # compressed, everything the page loads


def embed(page, url, text=""):
    page.locator("button[title='Вбудувати допис']").click()
    dialog = page.locator("dialog.prose-editor-dialog")
    dialog.locator("input[name=url]").fill(url)
    dialog.locator("textarea[name=text]").fill(text)
    dialog.locator("button[type=submit]").click()
    return dialog


def test_an_editor_embeds_posts_and_a_hostile_link_is_refused_in_the_dialog(
    site, watched_page, account, quiet_server
):
    page = watched_page
    article = make_article("Удари по енергетиці", body="<p>Перший абзац.</p>", tags=["Енергетика"])
    log_in(page, site, *account("olena", EDITOR))
    page.goto(f"{site}/admin/articles/article/{article.pk}/change/")
    page.locator("div.prose-editor > .ProseMirror p").click()
    page.keyboard.press("End")

    dialog = embed(page, "https://t.me.evil.example/channel/1")
    expect(dialog).to_contain_text("Вбудовувати можна лише дописи з таких платформ")
    dialog.locator("input[name=url]").fill(TELEGRAM)
    dialog.locator("textarea[name=text]").fill("Сили ППО збили 20 дронів.")
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_be_hidden()
    embed(page, YOUTUBE)
    expect(page.locator(".ProseMirror figure.embed-in-editor")).to_have_count(2)
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("Удари по енергетиці")

    quiet_server()
    article.refresh_from_db()
    assert article.body == (
        "<p>Перший абзац.</p>"
        f'<figure data-embed="telegram" data-url="{TELEGRAM}">'
        "<blockquote>Сили ППО збили 20 дронів.</blockquote>"
        f'<p><a href="{TELEGRAM}" rel="noopener">{TELEGRAM}</a></p></figure>'
        '<figure data-embed="youtube" data-url="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
        '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener">'
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></p></figure>"
    )
    # Reopened, the editor shows both posts, and saving again changes nothing.
    page.reload()
    expect(page.locator(".ProseMirror figure.embed-in-editor")).to_have_count(2)
    body = article.body
    page.click("input[name=_continue]")
    quiet_server()
    article.refresh_from_db()
    assert article.body == body
    assert page.problems == []


@pytest.mark.parametrize("width", [1280, 360])
def test_a_reader_loads_a_post_only_by_asking_for_it(site, page, width):
    body = (
        "<p>Перший абзац.</p>"
        f'<figure data-embed="telegram" data-url="{TELEGRAM}"><blockquote>Сили ППО збили 20 '
        f'дронів.</blockquote><p><a href="{TELEGRAM}">{TELEGRAM}</a></p></figure>'
        f'<figure data-embed="youtube" data-url="{YOUTUBE}"></figure>'
    )
    article = make_article("Удари по енергетиці", body=body)
    assert article.status == Article.Status.PUBLISHED
    requests, responses = [], []
    page.on("request", lambda request: requests.append(urlsplit(request.url).hostname))
    page.on("response", lambda response: responses.append(response))
    # Nothing leaves this machine: the providers answer from here.
    for host in PROVIDER_HOSTS:
        page.route(
            f"https://{host}/**",
            lambda route: route.fulfill(
                body="<p>Допис</p>", content_type="text/html; charset=utf-8"
            ),
        )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + article.get_absolute_url())

    telegram = page.locator("figure.embed").first
    expect(telegram).to_contain_text("Telegram · ukrpravda_news")
    expect(telegram).to_contain_text("Сили ППО збили 20 дронів.")
    expect(telegram.get_by_role("link", name="Відкрити допис у Telegram")).to_have_attribute(
        "href", TELEGRAM
    )
    page.mouse.wheel(0, 2000)
    page.wait_for_load_state("networkidle")
    assert set(requests) == {"127.0.0.1"}, "no request to another host before a click"
    weight = sum(len(gzip.compress(response.body())) for response in responses)
    assert weight <= PAGE_BUDGET, f"{weight} bytes compressed before a click"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_accessibility_violations(page) == []
    screenshot(page, f"article-embeds-{width}")

    telegram.get_by_role("button", name="Показати допис з Telegram").click()
    frame = telegram.locator("iframe")
    expect(frame).to_have_attribute("src", f"{TELEGRAM}?embed=1")
    expect(frame).to_have_attribute("title", "Telegram")
    page.wait_for_load_state("networkidle")
    assert page.frame_locator("figure.embed iframe").first.locator("p").inner_text() == "Допис"
    assert "t.me" in requests
    assert "www.youtube-nocookie.com" not in requests, "only the post the reader asked for"
