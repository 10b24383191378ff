"""A save the form refuses loses nothing: every field stays, and an uploaded
photo is held on the server so the editor need not choose it again."""

import os
from datetime import timedelta
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.images import originals_storage
from articles.models import Article
from editing import uploads
from editing.models import Autosave, PendingChange
from tests.factories import make_article
from tests.forms import form_data, new_article_form
from tests.test_photos import jpeg

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:articles_article_add")


def refused_with_photo(client):
    """Post a new article with a photo and no lead: refused, photo held."""
    data = new_article_form(
        client, headline="З фото", lead="", photo_credit="Міноборони", photo_alt="Двоє міністрів"
    )
    response = client.post(ADD_URL, {**data, "photo": jpeg()})
    assert response.status_code == 200
    return response


def test_a_refused_save_holds_the_photo_and_the_next_save_takes_it(editor_client):
    response = refused_with_photo(editor_client)
    page = BeautifulSoup(response.content, "html.parser")
    thumbnail = page.select_one(".held-photo img")["src"]
    image = editor_client.get(thumbnail)
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    data = form_data(response)
    assert data["headline"] == "З фото" and data["held_photo"]

    data["lead"] = "Тепер із лідом."
    assert editor_client.post(ADD_URL, data).status_code == 302
    article = Article.objects.get(headline="З фото")
    assert article.photo and article.photo_renditions["sources"]


def test_a_held_photo_is_only_for_the_user_who_uploaded_it(client, editor, django_user_model):
    client.force_login(editor)
    data = form_data(refused_with_photo(client))
    other = django_user_model.objects.create_user("petro", is_staff=True)
    other.groups.set(editor.groups.all())
    client.force_login(other)
    data["lead"] = "Лід."
    assert client.post(ADD_URL, data).status_code == 302
    assert not Article.objects.get(headline="З фото").photo
    thumbnail = reverse("admin:articles_article_held_photo", args=[data["held_photo"]])
    assert client.get(thumbnail).status_code == 404


def test_a_forged_token_holds_nothing(editor_client, editor):
    assert uploads.held_name("forged", editor) is None
    data = new_article_form(editor_client, held_photo="x:y:z")
    assert editor_client.post(ADD_URL, data).status_code == 302
    assert not Article.objects.get().photo


def test_a_refused_photo_is_not_held(editor_client):
    data = new_article_form(editor_client, lead="")
    not_a_photo = SimpleUploadedFile("notes.jpg", b"not a photo", content_type="image/jpeg")
    response = editor_client.post(ADD_URL, {**data, "photo": not_a_photo})
    assert "Цей файл не є фото" in response.content.decode()
    assert not form_data(response).get("held_photo")


def test_pruning_keeps_what_a_prepared_change_still_names(editor):
    storage = originals_storage()
    forgotten = storage.save(f"{uploads.HELD}/forgotten/photo.jpg", ContentFile(b"jpeg"))
    story = make_article()
    token = uploads.hold(ContentFile(b"jpeg", name="photo.jpg"), None, story)
    named = uploads.token_contents(token)["name"]
    PendingChange.objects.create(article=story, data={"held_photo": [token]})
    long_ago = (timezone.now() - uploads.KEPT - timedelta(days=1)).timestamp()
    for name in (forgotten, named):
        os.utime(storage.path(name), (long_ago, long_ago))
    Autosave.objects.create(
        user=editor, article=story, data={}, saved_at=timezone.now() - timedelta(days=40)
    )

    call_command("prune_editing", stdout=StringIO())
    assert storage.exists(named), "a prepared change still names it"
    assert not storage.exists(forgotten)
    assert not Autosave.objects.exists()


def test_a_save_refused_by_an_inline_holds_the_photo_too(editor_client):
    data = new_article_form(
        editor_client, headline="Лише підпис хибний", photo_credit="Фото", photo_alt="Опис"
    )
    data.update({"bylines-TOTAL_FORMS": "1", "bylines-0-author": "", "bylines-0-position": "x"})
    response = editor_client.post(ADD_URL, {**data, "photo": jpeg()})
    assert response.status_code == 200
    assert form_data(response)["held_photo"]
