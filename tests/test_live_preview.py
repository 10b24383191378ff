"""The live preview and checklist: the form's fields, shown as readers will
see them, without saving, never cached, never indexed; hostile text inert."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles import cache
from editing.models import Autosave
from tests.factories import make_article, make_draft
from tests.forms import change_url, form_data, new_article_form
from tests.hostile import XSS_PAYLOADS, assert_inert
from tests.test_writing import ADMIN_SCRIPTS, ADMIN_TAGS

pytestmark = pytest.mark.django_db
RELATED = "section.related"


def preview_url(article=None):
    if article is None:
        return reverse("admin:articles_article_live_preview_new")
    return reverse("admin:articles_article_live_preview", args=[article.pk])


def test_the_preview_shows_what_is_typed_without_saving(editor_client, client):
    story = make_draft("Збережене", tags=["ППО"])
    generation = cache.content_generation()
    data = {**form_data(editor_client.get(change_url(story))), "headline": "Набране"}
    data["tags"] = "ППО, Новий тег"
    response = editor_client.post(preview_url(story), data)
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "Набране"
    assert sorted(a.get_text() for a in page.select("ul.tags a")) == ["Новий тег", "ППО"]
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    story.refresh_from_db()
    assert story.headline == "Збережене"
    assert cache.content_generation() == generation


def test_a_new_article_previews_before_its_first_save(editor_client):
    data = new_article_form(editor_client, headline="Ще не збережена", lead="")
    page = BeautifulSoup(editor_client.post(preview_url(), data).content, "html.parser")
    assert page.h1.get_text() == "Ще не збережена"
    assert "незбережених змін" in page.select_one(".preview-notice").get_text()


def test_the_checklist_follows_the_fields_before_the_first_save(editor_client):
    data = new_article_form(editor_client, section="", tags="")
    url = reverse("admin:articles_article_live_checklist_new")
    problems = editor_client.post(url, data).json()
    assert set(problems) == {"section", "tags"}
    data.update(tags="ППО", photo_credit="")
    problems = editor_client.post(url, {**data, "has_new_photo": "1"}).json()
    assert set(problems) == {"section", "photo_credit", "photo_alt"}


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_text_is_inert_in_every_editing_view(editor_client, payload):
    story = make_article("Живий", tags=["ППО"])
    data = form_data(editor_client.get(change_url(story)))
    hostile = {
        **data,
        "headline": payload[:100],
        "lead": payload,
        "body": f"<p>{payload}</p>",
        "photo_caption": payload,
        "tags": f"ППО, {payload[:90]}",
    }
    preview = editor_client.post(preview_url(story), hostile)
    assert_inert(preview.content.decode(), form_actions={"/search/"})

    editor_client.post(change_url(story), {**hostile, "_save_pending": "1"})
    change = story.pending_changes.get()
    for name in ("preview", "compare"):
        url = reverse(f"admin:articles_article_pending_{name}", args=[story.pk, change.pk])
        response = editor_client.get(url)
        assert response.status_code == 200, url
        allowed = {} if name == "preview" else {"allowed_tags": ADMIN_TAGS}
        assert_inert(
            response.content.decode(),
            allowed_scripts=ADMIN_SCRIPTS,
            form_actions={"/search/"},
            **allowed,
        )

    autosave = reverse("admin:articles_article_autosave", args=[story.pk])
    editor_client.post(autosave, hostile)
    restored = editor_client.get(f"{change_url(story)}?autosave={Autosave.objects.get().pk}")
    assert_inert(restored.content.decode(), allowed_tags=ADMIN_TAGS, allowed_scripts=ADMIN_SCRIPTS)
    pending = editor_client.get(f"{change_url(story)}?pending={change.pk}")
    assert_inert(pending.content.decode(), allowed_tags=ADMIN_TAGS, allowed_scripts=ADMIN_SCRIPTS)


@pytest.mark.parametrize("slug", ["with space", "a/b", "ще-не-латиниця", ""])
def test_a_slug_being_typed_never_breaks_the_preview(editor_client, slug):
    story = make_draft("Назва")
    data = {**form_data(editor_client.get(change_url(story))), "slug": slug}
    assert editor_client.post(preview_url(story), data).status_code == 200


def test_a_preview_never_changes_what_readers_are_shown_beside_the_story(editor_client, client):
    story = make_article("Історія", tags=["ППО"])
    make_article("Сусід по ППО", tags=["ППО"])
    make_article("Чуже за тегом Кіно", tags=["Кіно"])
    assert "Сусід по ППО" in client.get(story.get_absolute_url()).content.decode()
    data = {**form_data(editor_client.get(change_url(story))), "tags": "Кіно"}
    preview = BeautifulSoup(editor_client.post(preview_url(story), data).content, "html.parser")
    assert "Чуже за тегом Кіно" in preview.select_one(RELATED).get_text()
    page = client.get(story.get_absolute_url(), {"q": "x"})  # a fresh render, not a stored page
    related = BeautifulSoup(page.content, "html.parser").select_one(RELATED).get_text()
    assert "Сусід по ППО" in related and "Чуже за тегом Кіно" not in related
