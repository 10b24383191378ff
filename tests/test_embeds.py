"""Embedded posts: the allow-list, what the body stores, and what readers and feeds get."""

import time
from html import unescape

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db.models import Value
from django.urls import reverse

from articles.html import checked_body, sanitize_html
from articles.models import Article
from embeds.providers import FRAME_HOSTS, read_post
from tests.factories import embedded, make_article
from tests.forms import change_url, form_data, new_article_form
from tests.hostile import XSS_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db

CHECK_URL = reverse("embed-check")
TELEGRAM = "https://t.me/ukrpravda_news/12345"


# (what an editor pastes, the post as the site links to it, the frame a click loads)
LINKS = [
    (TELEGRAM, TELEGRAM, f"{TELEGRAM}?embed=1"),
    ("t.me/s/ukrpravda_news/12345/", TELEGRAM, f"{TELEGRAM}?embed=1"),
    (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://youtu.be/dQw4w9WgXcQ?si=tracking",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://m.youtube.com/shorts/dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://twitter.com/ZelenskyyUa/status/1861234567890123456?s=20",
        "https://x.com/ZelenskyyUa/status/1861234567890123456",
        "https://platform.twitter.com/embed/Tweet.html?id=1861234567890123456&dnt=true",
    ),
    (
        "https://www.facebook.com/MinistryofDefence.UA/posts/pfbid02Xyz123abcDEF456",
        "https://www.facebook.com/MinistryofDefence.UA/posts/pfbid02Xyz123abcDEF456",
        "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2F"
        "MinistryofDefence.UA%2Fposts%2Fpfbid02Xyz123abcDEF456&show_text=true",
    ),
    (
        "https://www.facebook.com/watch/?v=1234567890",
        "https://www.facebook.com/watch/?v=1234567890",
        "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2F"
        "watch%2F%3Fv%3D1234567890",
    ),
    (
        "https://www.instagram.com/reel/C1a2B3c4D5e/?igsh=x",
        "https://www.instagram.com/p/C1a2B3c4D5e/",
        "https://www.instagram.com/p/C1a2B3c4D5e/embed/",
    ),
]


@pytest.mark.parametrize(("pasted", "url", "frame"), LINKS)
def test_a_pasted_link_becomes_the_post_it_names(pasted, url, frame):
    post = read_post(pasted)
    assert (post.url, post.frame_url) == (url, frame)


HOSTILE_LINKS = [
    ("javascript:alert(1)", "не посилання на допис"),
    ("JaVaScRiPt:alert(document.cookie)//t.me/a/1", "не посилання на допис"),
    ("data:text/html,<script>alert(1)</script>", "не посилання на допис"),
    ("https://t.me.evil.example/channel/1", "лише дописи з таких платформ"),
    ("https://evilt.me/channel/1", "лише дописи з таких платформ"),
    ("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", "лише дописи з таких платформ"),
    ("https://t.me@evil.example/channel/1", "не посилання на допис"),
    ("https://user@t.me/channel/1", "не посилання на допис"),
    ("https://t.me:8443/channel/1", "не посилання на допис"),
    ("https://t.me/channel/" + "1" * 21, "не веде до окремого допису"),
    ("https://www.youtube.com/watch?v=" + "a" * 200, "не веде до окремого допису"),
    ("https://t.me/" + "a" * 600 + "/1", "не посилання на допис"),
    ('https://t.me/channel/1"><script>alert(1)</script>', "не посилання на допис"),
    ("https://t.me/<b>channel</b>/1", "не посилання на допис"),
    ("https://t.me/channel", "не веде до окремого допису"),
    ("https://t.me/../1", "не веде до окремого допису"),
    ("https://www.facebook.com/./posts/1", "не веде до окремого допису"),
    ("https://example.com/", "лише дописи з таких платформ"),
    ("", "Вставте посилання на допис"),
]


@pytest.mark.parametrize(("link", "message"), HOSTILE_LINKS)
def test_a_hostile_or_wrong_link_is_refused_saying_why(admin_client, link, message):
    with pytest.raises(ValidationError) as refused:
        read_post(link)
    assert message in " ".join(refused.value.messages)
    # The editor's dialog asks the same question and gets the same answer.
    assert message in admin_client.get(CHECK_URL, {"url": link}).json()["error"]


def test_the_dialogs_check_answers_staff_only(client, admin_client):
    assert admin_client.get(CHECK_URL, {"url": TELEGRAM}).json() == {
        "provider": "telegram",
        "url": TELEGRAM,
    }
    assert client.get(CHECK_URL, {"url": TELEGRAM}).status_code == 302  # to the login page


def test_the_body_stores_an_element_naming_the_post_and_nothing_else():
    pasted = (
        '<figure data-embed="evil" data-url="https://youtu.be/dQw4w9WgXcQ" onclick="x()" '
        'style="x" data-frame="https://evil.example/"><iframe src="https://evil.example/">'
        "</iframe><blockquote>Текст <script>alert(1)</script><b>допису</b></blockquote>"
        '<p><a href="https://evil.example/">клік</a></p></figure>'
    )
    url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert sanitize_html(pasted) == (
        f'<figure data-embed="youtube" data-url="{url}"><blockquote>Текст допису</blockquote>'
        f'<p><a href="{url}" rel="noopener">{url}</a></p></figure>'
    )


def test_a_raw_write_of_an_element_for_a_post_we_do_not_embed_keeps_its_words():
    article = make_article(body=embedded("https://evil.example/x", "Слова допису"))
    assert article.body == "<p>Слова допису https://evil.example/x</p>"


def test_the_admin_refuses_a_hostile_embed_and_keeps_the_editors_text(admin_client):
    article = make_article(tags=["Енергетика"])
    data = form_data(admin_client.get(change_url(article)))
    body = "<p>Новий абзац, який не можна втратити.</p>" + embedded("https://t.me.evil.example/a/1")
    data["body"] = body
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert "Вбудовувати можна лише дописи з таких платформ" in page.select_one(".errorlist").text
    assert "Новий абзац, який не можна втратити." in page.select_one("textarea[name=body]").text
    article.refresh_from_db()
    assert "Новий абзац" not in article.body


def test_a_reader_gets_a_card_and_no_request_to_the_provider(client):
    article = make_article(body="<p>Абзац.</p>" + embedded(TELEGRAM, "Сили ППО збили 20 дронів."))
    response = client.get(article.get_absolute_url())
    page = BeautifulSoup(response.content, "html.parser")
    card = page.select_one("figure.embed")
    assert card["data-frame"] == f"{TELEGRAM}?embed=1"
    assert card.select_one("blockquote").text == "Сили ППО збили 20 дронів."
    assert card.find("a", string="Відкрити допис у Telegram")["href"] == TELEGRAM
    assert card.find("button").text == "Показати допис з Telegram"
    # Nothing on the page loads from another host: no frame, image, script or style.
    loaded = [e.get("src") or e.get("href") for e in page.select("iframe, img, script[src], link")]
    assert all(url.startswith(("/", "http://testserver/")) for url in loaded if url), loaded
    frames = response["Content-Security-Policy"].split("frame-src ")[1].split(";")[0].split()
    assert frames == ["'self'", *FRAME_HOSTS]
    assert "https://t.me" in frames


def test_a_page_without_embeds_loads_no_script(client):
    article = make_article(body="<p>Абзац.</p>")
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert page.select("script[src]") == []


def test_feeds_carry_an_embed_as_a_plain_link(client):
    make_article(body="<p>Абзац.</p>" + embedded(TELEGRAM, "Сили ППО"))
    for feed in ("/rss/", "/atom/"):
        content = unescape(client.get(feed).content.decode())
        assert "data-embed" not in content and "figure" not in content
        assert (
            f'<blockquote>Сили ППО</blockquote><p><a href="{TELEGRAM}">{TELEGRAM}</a></p>'
            in content
        )


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_text_in_an_embed_is_inert(client, admin_client, payload):
    """The corpus as the post's link, as its text, and around the element."""
    body = embedded(TELEGRAM, payload) + embedded(payload, payload) + embedded(TELEGRAM + payload)
    data = new_article_form(admin_client, body=body)
    admin_client.post(reverse("admin:articles_article_add"), data)  # refused or stored clean
    article = make_article(body=body)
    for html in (
        client.get(article.get_absolute_url()).content.decode(),
        unescape(client.get("/rss/").content.decode()),  # the feed's HTML, as readers get it
    ):
        assert_inert(html, allowed_scripts=("/static/embeds/",), form_actions={"/search/"})
    assert not Article.objects.filter(body__icontains="<script").exists()


def test_a_body_of_unclosed_embeds_is_checked_at_once(admin_client):
    """Checked as the sanitiser closes it, not as sent: 10,000 unclosed
    elements took a worker 18 s, and a request's worth of them minutes."""
    body = f'<figure data-embed="" data-url="{TELEGRAM}">' * 10_000
    started = time.monotonic()
    checked_body(body)
    assert time.monotonic() - started < 2


def test_feeds_link_only_to_posts_the_allow_list_vouches_for(client):
    """A body written past the sanitiser (an SQL expression) keeps no hostile link."""
    article = make_article(body="<p>Абзац.</p>")
    hostile = '<figure data-embed="" data-url="javascript:alert(1)"><p>клік</p></figure>'
    Article.objects.filter(pk=article.pk).update(body=Value(hostile))
    content = unescape(client.get("/rss/").content.decode())
    assert "javascript:" not in content.replace("javascript:alert(1)</p>", "")
    assert "<p>javascript:alert(1)</p>" in content  # its words, as text
