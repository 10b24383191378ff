"""A change to a published story, prepared without readers seeing it:
previewed exactly as it will look, compared with the live story, then
published through the form (and its checks) by an editor."""

import time
from unittest.mock import patch

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from articles import cache
from articles.models import Article, ArticleNote
from editing import uploads
from editing.models import Autosave, PendingChange
from tests.factories import make_article, make_author
from tests.forms import change_url, form_data
from tests.test_photos import jpeg

pytestmark = pytest.mark.django_db


def prepare(client, story, **changes):
    data = {**form_data(client.get(change_url(story))), **changes, "_save_pending": "1"}
    response = client.post(change_url(story), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return PendingChange.objects.filter(article=story).first()


def pending_url(name, change):
    return reverse(f"admin:articles_article_pending_{name}", args=[change.article_id, change.pk])


def test_a_prepared_change_leaves_the_live_story_and_its_cache_alone(editor_client, client):
    story = make_article("Живий заголовок", lead="Живий лід.", tags=["ППО"])
    client.get(story.get_absolute_url())
    generation = cache.content_generation()
    change = prepare(editor_client, story, headline="Новий заголовок", lead="Новий лід.")
    story.refresh_from_db()
    assert (story.headline, story.lead) == ("Живий заголовок", "Живий лід.")
    assert cache.content_generation() == generation
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Живий заголовок" in page and "Новий заголовок" not in page
    assert change.data["headline"] == ["Новий заголовок"]


def test_the_prepared_change_previews_as_readers_will_see_it(editor_client):
    story = make_article("Живий заголовок", tags=["ППО"])
    change = prepare(editor_client, story, headline="Новий заголовок", body="<p>Новий абзац.</p>")
    response = editor_client.get(pending_url("preview", change))
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "Новий заголовок"
    assert "Новий абзац." in page.select_one(".article-body").get_text()
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert "noindex" in page.select_one('meta[name="robots"]')["content"]


def test_the_comparison_shows_what_the_change_brings(editor_client):
    story = make_article("Живий заголовок", lead="Лід без змін.", tags=["ППО"])
    change = prepare(editor_client, story, headline="Новий заголовок")
    page = BeautifulSoup(editor_client.get(pending_url("compare", change)).content, "html.parser")
    rows = {row.th.get_text(strip=True): row.td for row in page.select(".pending-compare tbody tr")}
    assert list(rows) == ["Заголовок"], "only what changed"
    assert rows["Заголовок"].select_one("del").get_text() == "Живий"
    assert rows["Заголовок"].select_one("ins").get_text() == "Новий"


def test_an_editor_publishes_the_change_through_the_form(editor_client, client):
    story = make_article("Живий заголовок", tags=["ППО"])
    change = prepare(editor_client, story, headline="Новий заголовок")
    url = f"{change_url(story)}?pending={change.pk}"
    data = form_data(editor_client.get(url))
    assert data["headline"] == "Новий заголовок" and data["pending_change"] == str(change.pk)
    assert editor_client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Новий заголовок"
    assert not PendingChange.objects.exists()
    assert "Новий заголовок" in client.get(story.get_absolute_url()).content.decode()


def test_a_change_prepared_before_someone_elses_save_is_a_conflict(editor_client, editor):
    story = make_article("Живий заголовок", tags=["ППО"])
    change = prepare(editor_client, story, headline="Підготовлений")
    Article.objects.filter(pk=story.pk).update(lead="Хтось змінив лід.")
    story.refresh_from_db()
    story.save()  # a later save by someone else
    url = f"{change_url(story)}?pending={change.pk}"
    response = editor_client.post(url, form_data(editor_client.get(url)))
    assert response.status_code == 200
    assert "Поки ви редагували" in response.content.decode()


@pytest.fixture
def editors_client(editor):
    """An editor in a browser of their own, beside the reporter's."""
    client = Client()
    client.force_login(editor)
    return client


def test_a_reporters_save_of_their_published_story_is_a_proposal(
    reporter_client, reporter, editors_client
):
    story = make_article("Тарасова новина", created_by=reporter, tags=["ППО"])
    change = prepare(reporter_client, story, headline="Тарас пропонує")
    story.refresh_from_db()
    assert story.headline == "Тарасова новина"
    assert change.created_by == reporter
    page = editors_client.get(change_url(story)).content.decode()
    assert pending_url("compare", change) in page, "the editor sees the proposal"


def test_a_reporter_sees_only_their_own_proposals(reporter_client, reporter, editors_client):
    story = make_article("Тарасова новина", created_by=reporter, tags=["ППО"])
    editors = prepare(editors_client, story, headline="Правка редактора")
    assert reporter_client.get(pending_url("preview", editors)).status_code == 404
    assert reporter_client.get(pending_url("compare", editors)).status_code == 404
    page = reporter_client.get(f"{change_url(story)}?pending={editors.pk}")
    assert "Правка редактора" not in page.content.decode()


def test_discarding_a_prepared_change(editor_client):
    story = make_article(tags=["ППО"])
    change = prepare(editor_client, story, headline="Не треба")
    assert editor_client.get(pending_url("discard", change)).status_code == 405
    editor_client.post(pending_url("discard", change))
    assert not PendingChange.objects.exists()


def test_an_editor_publishes_a_reporters_proposal_at_the_first_save(
    reporter_client, reporter, editors_client
):
    story = make_article("Тарасова новина", created_by=reporter, tags=["ППО"])
    ArticleNote.objects.create(article=story, kind="correction", text="Виправлено дату.")
    change = prepare(reporter_client, story, lead="Тарас уточнив лід.")
    url = f"{change_url(story)}?pending={change.pk}"
    data = form_data(editors_client.get(url))
    assert data["notes-0-text"] == "Виправлено дату.", "the live corrections, not blanks"
    response = editors_client.post(url, data)
    assert response.status_code == 302, "no false edit conflict"
    story.refresh_from_db()
    assert story.lead == "Тарас уточнив лід." and story.status == Article.Status.PUBLISHED
    assert story.notes.get().text == "Виправлено дату."


def test_a_reporter_cannot_slip_in_what_their_form_does_not_take(reporter_client, reporter):
    story = make_article("Тарасова новина", created_by=reporter, tags=["ППО"])
    data = form_data(reporter_client.get(change_url(story)))
    data.update(
        status="draft",
        **{"notes-TOTAL_FORMS": "1", "notes-0-kind": "correction", "notes-0-text": "Підкинуте"},
    )
    reporter_client.post(change_url(story), data)
    kept = PendingChange.objects.get().data
    assert "status" not in kept
    assert not any(name.startswith("notes-") for name in kept)


def test_nobody_overwrites_a_prepared_change_they_may_not_see(
    reporter_client, reporter, editors_client
):
    story = make_article("Тарасова новина", created_by=reporter, tags=["ППО"])
    editors = prepare(editors_client, story, headline="Правка редактора")
    prepare(reporter_client, story, headline="Підміна", pending_change=str(editors.pk))
    editors.refresh_from_db()
    assert editors.data["headline"] == ["Правка редактора"]
    assert PendingChange.objects.get(created_by=reporter).data["headline"] == ["Підміна"]


def test_a_held_photo_goes_with_the_prepared_change_to_whoever_publishes_it(
    editor_client, editor, django_user_model
):
    story = make_article("Без фото", tags=["ППО"])
    data = form_data(editor_client.get(change_url(story)))
    refused = editor_client.post(change_url(story), {**data, "lead": "", "photo": jpeg()})
    data = {**form_data(refused), "lead": "Лід.", "photo_credit": "Міноборони"}
    data.update(photo_alt="Двоє міністрів", _save_pending="1")
    assert editor_client.post(change_url(story), data).status_code == 302
    change = PendingChange.objects.get()
    other = django_user_model.objects.create_user("petro", is_staff=True)
    other.groups.set(editor.groups.all())
    publisher = Client()
    publisher.force_login(other)
    url = f"{change_url(story)}?pending={change.pk}"
    assert publisher.post(url, form_data(publisher.get(url))).status_code == 302
    story.refresh_from_db()
    assert story.photo and story.photo_renditions["sources"]


def test_a_prepared_changes_photo_outlives_a_users_token_and_stays_with_its_story(editor):
    story, other_story = make_article(), make_article()
    with patch("django.core.signing.time.time", return_value=time.time() - 40 * 24 * 3600):
        mine = uploads.hold(ContentFile(b"jpeg", name="a.jpg"), editor)
        prepared = uploads.hold(ContentFile(b"jpeg", name="b.jpg"), None, story)
    assert uploads.held_name(mine, editor) is None, "a user's token expires"
    assert uploads.held_name(prepared, editor, story), "a prepared change's does not"
    assert uploads.held_name(prepared, editor, other_story) is None
    assert uploads.held_name(prepared, editor) is None


def test_saving_a_prepared_change_goes_back_to_it(editor_client):
    story = make_article(tags=["ППО"])
    data = {**form_data(editor_client.get(change_url(story))), "headline": "Нове"}
    response = editor_client.post(change_url(story), {**data, "_save_pending": "1"})
    assert response["Location"].endswith(f"?pending={PendingChange.objects.get().pk}")


def test_the_comparison_and_preview_show_changed_bylines(editor_client):
    story = make_article("Історія", tags=["ППО"], authors=[make_author("Олена Бойко")])
    other = make_author("Тарас Коваль")
    change = prepare(editor_client, story, **{"bylines-0-author": str(other.pk)})
    rows = BeautifulSoup(editor_client.get(pending_url("compare", change)).content, "html.parser")
    authors = rows.find("th", string="Автори").find_next("td")
    assert [word.get_text() for word in authors.select("del")] == ["Олена", "Бойко"]
    assert [word.get_text() for word in authors.select("ins")] == ["Тарас", "Коваль"]
    preview = BeautifulSoup(
        editor_client.get(pending_url("preview", change)).content, "html.parser"
    )
    assert preview.select_one(".byline").get_text(strip=True) == "Тарас Коваль"


def test_a_form_copy_with_absurdly_many_rows_brings_none_of_them_back(editor_client):
    story = make_article("Історія", tags=["ППО"])
    data = form_data(editor_client.get(change_url(story)))
    data["bylines-TOTAL_FORMS"] = "900"
    data.update({f"bylines-{index}-position": str(index) for index in range(900)})
    autosave = reverse("admin:articles_article_autosave", args=[story.pk])
    editor_client.post(autosave, data)
    copy = Autosave.objects.get()
    restored = form_data(editor_client.get(f"{change_url(story)}?autosave={copy.pk}"))
    assert restored["bylines-TOTAL_FORMS"] == "0", "the article's own (no) bylines"
