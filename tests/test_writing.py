"""Writing in the admin: the rich-text editor, and nothing hostile reaches a reader."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django_prose_editor.config import allowlist_from_extensions

from articles.html import ALLOWED_CLASSES, EDITOR_EXTENSIONS, allowed_markup, sanitize_html
from articles.models import Article
from tests.factories import make_article, make_author, make_section
from tests.forms import form_data
from tests.hostile import XSS_PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
# The admin's own markup: its forms, its inline SVG icons, its scripts.
ADMIN_TAGS = {"form", "svg"}
ADMIN_SCRIPTS = ("/static/", "/admin/jsi18n/")


def test_body_is_edited_with_the_rich_text_editor(admin_client, client):
    page = BeautifulSoup(admin_client.get(ADD_URL).content, "html.parser")
    body = page.find("textarea", attrs={"name": "body"})
    assert body.has_attr("data-django-prose-editor-configurable")
    scripts = [s["src"] for s in page.find_all("script", src=True)]
    editor_scripts = [src for src in scripts if "django_prose_editor" in src]
    assert editor_scripts, scripts
    for src in editor_scripts:  # served by whitenoise, hashed names
        assert client.get(src).status_code == 200, src


def test_the_sanitiser_keeps_everything_the_editor_can_make():
    editor = allowlist_from_extensions(EDITOR_EXTENSIONS)
    tags, allowed_attributes = allowed_markup()
    assert "Embed" in EDITOR_EXTENSIONS
    assert editor["tags"] <= tags
    for tag, attributes in editor["attributes"].items():
        # rel is set by the sanitiser itself; target is switched off in the
        # editor; classes are kept by value (ALLOWED_CLASSES).
        allowed = allowed_attributes.get(tag, set()) | (
            {"class"} if tag in ALLOWED_CLASSES else set()
        )
        assert set(attributes) - {"rel", "target"} <= allowed, tag


EDITOR_OUTPUT = (
    "<h2>Підзаголовок</h2><p>Текст із <strong>жирним</strong>, <em>курсивом</em> і "
    '<a href="https://www.mil.gov.ua/" rel="noopener">посиланням</a>.</p>'
    '<blockquote><p>"Цитата міністра", – зазначив Умєров.</p></blockquote>'
    "<ul><li><p>пункт</p></li></ul><ol><li><p>перший</p></li></ol><p>рядок<br>рядок</p><hr>"
    '<blockquote class="pull-quote"><p>Наші команди вже працюють.</p></blockquote>'
)


def test_what_the_editor_makes_is_stored_unchanged():
    assert sanitize_html(EDITOR_OUTPUT) == EDITOR_OUTPUT


def test_links_get_noopener_and_lose_other_rel_and_target():
    clean = sanitize_html('<a href="https://example.com" rel="opener" target="_blank">x</a>')
    assert clean == '<a href="https://example.com" rel="noopener">x</a>'


def article_with_payload(payload):
    """The payload in every field an editor fills, cut to each field's length."""
    section = make_section(name=payload[:100])
    author = make_author(name=payload[:200])
    return make_article(
        payload[:255],
        lead=payload,
        body=payload,
        photo_caption=payload[:300],
        photo_credit=payload[:200],
        photo_alt=payload[:300],
        section=section,
        authors=[author],
        tags=[payload[:100]],
    )


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_text_in_every_field_is_inert_on_every_page(client, admin_client, payload):
    article = article_with_payload(payload)
    tag = article.tags.get()
    reader_pages = [
        article.get_absolute_url(),
        "/",
        article.section.get_absolute_url(),
        tag.get_absolute_url(),
        article.ordered_authors()[0].get_absolute_url(),
    ]
    for url in reader_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), form_actions={"/search/"})
    admin_pages = [
        reverse("admin:articles_article_changelist") + "?q=" + payload[:20],
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_delete", args=[article.pk]),
        reverse("admin:articles_article_history", args=[article.pk]),
    ]
    for url in admin_pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_inert(
            response.content.decode(), allowed_tags=ADMIN_TAGS, allowed_scripts=ADMIN_SCRIPTS
        )


@pytest.mark.parametrize("payload", XSS_PAYLOADS[:10])
def test_hostile_plain_text_is_shown_as_typed_not_rewritten(client, payload):
    article = make_article(payload, lead=payload)
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert page.h1.get_text() == payload
    assert page.select_one(".lead").get_text() == payload


def test_hostile_paste_through_the_admin_form_is_stored_clean(admin_client):
    data = form_data(admin_client.get(ADD_URL))
    data.update(
        headline="Новина",
        lead="Лід.",
        body='<p onclick="steal()">Текст<script>alert(1)</script>'
        '<a href="javascript:alert(1)">посилання</a></p>',
        section=make_section().pk,
        status=Article.Status.DRAFT,
    )
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302, response.content.decode()
    assert Article.objects.get().body == '<p>Текст<a rel="noopener">посилання</a></p>'


def test_an_overlong_tag_is_refused_with_a_clear_message(admin_client):
    data = form_data(admin_client.get(ADD_URL))
    data.update(headline="Новина", lead="Лід.", body="<p>Текст.</p>", tags="а" * 101)
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "Тег може мати щонайбільше 100 символів" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize("payload", XSS_PAYLOADS[:12])
def test_hostile_headline_is_inert_in_the_admins_messages(admin_client, payload):
    """Saving names the article in a message on the next page (Wagtail's
    CVE-2026-28223 was this message)."""
    data = form_data(admin_client.get(ADD_URL))
    data.update(
        headline=payload,
        lead="Лід.",
        body="<p>Текст.</p>",
        section=make_section().pk,
        status=Article.Status.DRAFT,
    )
    response = admin_client.post(ADD_URL, data, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and 'class="success"' in page
    assert_inert(page, allowed_tags=ADMIN_TAGS, allowed_scripts=ADMIN_SCRIPTS)
