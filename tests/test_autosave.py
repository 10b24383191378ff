"""Autosave: what an editor types is kept on the server, per user and per
article, never over the article, never a version, never a reader's page."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import cache
from editing.models import Autosave
from tests.factories import make_draft
from tests.forms import change_url, form_data, new_article_form

pytestmark = pytest.mark.django_db
UNSAVED = "editing.unsaved-form"
ADD_URL = reverse("admin:articles_article_add")


def autosave_url(article=None):
    if article is None:
        return reverse("admin:articles_article_autosave_new")
    return reverse("admin:articles_article_autosave", args=[article.pk])


def typed(client, article, **changes):
    """The change form's fields with `changes` typed in, as the page sends them."""
    return {**form_data(client.get(change_url(article))), **changes}


def test_an_autosave_keeps_the_text_and_leaves_the_article_alone(editor_client, editor):
    story = make_draft("Збережена назва")
    Version.objects.all().delete()
    response = editor_client.post(autosave_url(story), typed(editor_client, story, headline="Нова"))
    assert response.status_code == 200
    assert response.json()["time"]
    story.refresh_from_db()
    assert story.headline == "Збережена назва"
    assert Autosave.objects.get(user=editor, article=story).data["headline"] == ["Нова"]
    assert not Version.objects.exists(), "an autosave is not a version in the history"


def test_autosaving_again_overwrites_the_forms_one_copy(editor_client):
    story = make_draft()
    form = typed(editor_client, story)
    for headline in ("Перша", "Друга", "Третя"):
        editor_client.post(autosave_url(story), {**form, "headline": headline})
    assert Autosave.objects.get().data["headline"] == ["Третя"]


def test_two_tabs_and_the_copy_they_offer_never_overwrite_each_other(editor_client):
    story = make_draft()
    first, second = typed(editor_client, story), typed(editor_client, story)
    editor_client.post(autosave_url(story), {**first, "headline": "У першій вкладці"})
    editor_client.post(autosave_url(story), {**second, "headline": "У другій вкладці"})
    kept = sorted(copy.data["headline"][0] for copy in Autosave.objects.all())
    assert kept == ["У другій вкладці", "У першій вкладці"]


def test_an_autosave_is_one_small_write_and_never_touches_the_page_cache(
    editor_client, django_assert_max_num_queries
):
    story = make_draft()
    data = typed(editor_client, story, headline="Нова")
    editor_client.post(autosave_url(story), data)
    generation = cache.content_generation()
    # The session, the user and their permissions, the article; then one UPDATE.
    with django_assert_max_num_queries(6):
        editor_client.post(autosave_url(story), data)
    assert cache.content_generation() == generation


def test_each_editor_has_their_own_autosave(client, editor, django_user_model):
    story = make_draft()
    other = django_user_model.objects.create_user("olena", is_staff=True)
    other.groups.set(editor.groups.all())
    for user, headline in ((editor, "Моя"), (other, "Олени")):
        client.force_login(user)
        client.post(autosave_url(story), typed(client, story, headline=headline))
    assert Autosave.objects.get(user=editor).data["headline"] == ["Моя"]
    client.force_login(editor)
    page = BeautifulSoup(client.get(change_url(story)).content, "html.parser")
    restore = page.select_one(".editing-autosave a")["href"]
    restored = form_data(client.get(change_url(story) + restore))
    assert restored["headline"] == "Моя"


def test_reopening_offers_the_autosave_and_restoring_fills_every_field(editor_client):
    story = make_draft("Назва")
    editor_client.post(
        autosave_url(story),
        typed(editor_client, story, headline="Набрана", lead="Набраний лід", body="<p>Абзац.</p>"),
    )
    page = editor_client.get(change_url(story))
    offer = BeautifulSoup(page.content, "html.parser").select_one(".editing-autosave")
    assert "Відновити незбережені зміни від" in offer.get_text()
    assert form_data(page)["headline"] == "Назва", "nothing is restored unasked"
    restored = form_data(editor_client.get(change_url(story) + offer.a["href"]))
    assert (restored["headline"], restored["lead"]) == ("Набрана", "Набраний лід")
    assert "Абзац." in restored["body"]


def test_a_new_articles_form_is_autosaved_and_offered_again(editor_client, editor):
    data = new_article_form(editor_client, headline="Ще без номера")
    assert data["form_key"]
    assert editor_client.post(autosave_url(), data).status_code == 200
    autosave = Autosave.objects.get(user=editor, article=None)
    page = editor_client.get(ADD_URL)
    offer = BeautifulSoup(page.content, "html.parser").select_one(".editing-autosave a")
    assert offer["href"] == f"?autosave={autosave.pk}"
    assert form_data(editor_client.get(ADD_URL + offer["href"]))["headline"] == "Ще без номера"


def test_saving_the_form_clears_its_autosave(editor_client):
    story = make_draft()
    data = typed(editor_client, story, headline="Збережу")
    editor_client.post(autosave_url(story), data)
    assert editor_client.post(change_url(story), data).status_code == 302
    assert not Autosave.objects.exists()
    new = new_article_form(editor_client, headline="Нова і збережена")
    editor_client.post(autosave_url(), new)
    assert editor_client.post(ADD_URL, new).status_code == 302
    assert not Autosave.objects.exists()


def test_discarding_an_autosave_removes_it(editor_client):
    story = make_draft()
    editor_client.post(autosave_url(story), typed(editor_client, story, headline="Ні"))
    autosave = Autosave.objects.get()
    url = reverse("admin:articles_article_discard_autosave", args=[story.pk])
    response = editor_client.post(url, {"autosave": autosave.pk})
    assert response.status_code == 302 and response["Location"] == change_url(story)
    assert not Autosave.objects.exists()


def test_nobody_restores_or_discards_anothers_autosave(client, editor, django_user_model):
    story = make_draft()
    client.force_login(editor)
    client.post(autosave_url(story), typed(client, story, headline="Таємна правка"))
    autosave = Autosave.objects.get()
    other = django_user_model.objects.create_user("petro", is_staff=True)
    other.groups.set(editor.groups.all())
    client.force_login(other)
    page = client.get(f"{change_url(story)}?autosave={autosave.pk}")
    assert "Таємна правка" not in page.content.decode()
    url = reverse("admin:articles_article_discard_autosave", args=[story.pk])
    client.post(url, {"autosave": autosave.pk})
    assert Autosave.objects.filter(pk=autosave.pk).exists()


def test_an_old_autosave_is_not_offered(editor_client, editor):
    story = make_draft()
    Autosave.objects.create(
        user=editor, article=story, key="old", data={}, saved_at=timezone.now() - timedelta(days=31)
    )
    page = BeautifulSoup(editor_client.get(change_url(story)).content, "html.parser")
    assert page.select_one(".editing-autosave") is None


def test_autosave_takes_only_posts_and_only_from_its_own_pages(editor_client, editor):
    story = make_draft()
    assert editor_client.get(autosave_url(story)).status_code == 405
    assert editor_client.post(autosave_url(), {"headline": "без ключа"}).status_code == 400
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(editor)
    assert csrf_client.post(autosave_url(story), {"headline": "Чужа сторінка"}).status_code == 403
    assert not Autosave.objects.exists()


def test_a_save_posted_after_the_session_expired_comes_back_after_login(
    client, editor, django_user_model
):
    story = make_draft("Було")
    client.force_login(editor)
    data = typed(client, story, headline="Написане після кінця сеансу")
    Session.objects.all().delete()  # the session expires; the browser keeps its cookie
    response = client.post(change_url(story), data)
    assert "/login/" in response["Location"]
    story.refresh_from_db()
    assert story.headline == "Було"

    client.force_login(editor)
    back = client.get(change_url(story), follow=True)
    assert form_data(back)["headline"] == "Написане після кінця сеансу"
    assert "сеанс завершився" in back.content.decode()
    assert client.post(change_url(story), form_data(back)).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Написане після кінця сеансу"


def test_a_forged_post_to_a_logged_out_browser_plants_nothing(editor):
    story = make_draft("Було")
    browser = Client(enforce_csrf_checks=True)
    browser.post(change_url(story), {"headline": "Підкинуте", "body": "<p>x</p>"})
    browser.force_login(editor)
    page = browser.get(change_url(story), follow=True)
    assert "Підкинуте" not in page.content.decode()
    assert not Autosave.objects.exists()


def test_enter_in_a_field_saves_and_never_discards(editor_client):
    story = make_draft()
    editor_client.post(autosave_url(story), typed(editor_client, story, headline="Набране"))
    Autosave.objects.update(saved_at=timezone.now())
    page = BeautifulSoup(editor_client.get(change_url(story)).content, "html.parser")
    assert page.select_one(".editing-autosave")
    form = page.select_one("#article_form")
    # A browser presses the form's first submit button when Enter is pressed in a field.
    first = form.select_one("[type=submit]:not([form])")
    assert first["name"] == "_save"


def test_the_publication_time_comes_back_too(editor_client):
    story = make_draft()
    data = typed(editor_client, story, published_at_0="27.11.2026", published_at_1="09:00")
    editor_client.post(autosave_url(story), data)
    restored = form_data(
        editor_client.get(f"{change_url(story)}?autosave={Autosave.objects.get().pk}")
    )
    assert (restored["published_at_0"], restored["published_at_1"]) == ("27.11.2026", "09:00")


@pytest.mark.parametrize("junk", ["²", "1" * 40, "-1", "1\x00"])
def test_a_malformed_autosave_address_is_ignored_not_an_error(editor_client, junk):
    story = make_draft("Назва")
    response = editor_client.get(change_url(story), {"autosave": junk, "pending": junk})
    assert response.status_code == 200
    assert form_data(response)["headline"] == "Назва"


def test_nul_characters_are_dropped_not_an_error(editor_client):
    story = make_draft()
    data = typed(editor_client, story, headline="Без\x00нуля")
    assert editor_client.post(autosave_url(story), data).status_code == 200
    assert Autosave.objects.get().data["headline"] == ["Безнуля"]


def test_a_stranger_cannot_fill_the_session_table(editor):
    story = make_draft()
    stranger = Client()
    stranger.cookies["sessionid"] = "made-up"
    stranger.get(change_url(story))  # the login page, and a CSRF token
    stranger.post(change_url(story), {"headline": "x" * 900_000, "form_key": "k"})
    assert not any(UNSAVED in s.get_decoded() for s in Session.objects.all())
    browser = Client()
    browser.force_login(editor)
    browser.get(change_url(story))
    Session.objects.all().delete()
    browser.post(change_url(story), {"headline": "x" * 1_100_000, "form_key": "k"})
    assert not any(UNSAVED in s.get_decoded() for s in Session.objects.all()), "too big"


def test_what_was_kept_goes_back_only_to_who_typed_it(client, editor, django_user_model):
    story = make_draft("Було")
    client.force_login(editor)
    data = typed(client, story, headline="Текст Олени")
    Session.objects.all().delete()
    client.post(change_url(story), data)
    other = django_user_model.objects.create_user("petro", is_staff=True)
    other.groups.set(editor.groups.all())
    client.force_login(other)  # someone else logs in at the same computer
    page = client.get(change_url(story), follow=True)
    assert "Текст Олени" not in page.content.decode()
    assert not Autosave.objects.exists()
