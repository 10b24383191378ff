"""Nothing is lost: every admin save is a version; any version, or a deleted
article, can be brought back."""

from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from reversion.models import Version

from articles.models import Article
from tests.factories import make_article, make_author
from tests.forms import edit

pytestmark = pytest.mark.django_db


def photo(name, colour):
    buffer = BytesIO()
    Image.new("RGB", (800, 500), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_every_admin_save_is_recorded_with_who_and_when(editor_client, editor):
    article = make_article("Перша версія", tags=["ППО"])
    edit(editor_client, article, headline="Друга версія")
    edit(editor_client, article, headline="Третя версія")
    versions = Version.objects.get_for_object(article)
    assert [v.field_dict["headline"] for v in versions] == ["Третя версія", "Друга версія"]
    assert {v.revision.user for v in versions} == {editor}
    history = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    page = history.content.decode()
    assert "editor-user" in page
    assert "Змінені Заголовок." in page, "the change is described in Ukrainian"


def test_versions_can_be_compared(editor_client):
    article = make_article("Перша версія", tags=["ППО"])
    edit(editor_client, article, headline="Друга версія")
    edit(editor_client, article, headline="Третя версія")
    old, new = sorted(v.pk for v in Version.objects.get_for_object(article))
    url = reverse("admin:articles_article_compare", args=[article.pk])
    response = editor_client.get(url, {"version_id1": old, "version_id2": new})
    page = BeautifulSoup(response.content, "html.parser").get_text(" ")
    assert response.status_code == 200
    assert "Друга версія" in page and "Третя версія" in page


def test_restoring_an_earlier_version_brings_back_text_photo_and_tags(editor_client):
    article = make_article(
        "Перша версія",
        body="<p>Перший текст.</p>",
        tags=["ППО", "Франція"],
        photo=photo("first.jpg", "red"),
        photo_credit="Міноборони",
        photo_alt="Перше фото",
    )
    edit(editor_client, article, headline="Перша версія")  # recorded as a version
    first = Version.objects.get_for_object(article).first()
    first_renditions = article.photo_renditions
    edit(
        editor_client,
        article,
        headline="Друга версія",
        body="<p>Другий текст.</p>",
        tags="Умєров",
        photo=photo("second.jpg", "blue"),
        photo_alt="Друге фото",
    )
    assert article.photo_renditions != first_renditions

    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    confirm = BeautifulSoup(editor_client.get(revision_url).content, "html.parser")
    changes = confirm.select_one("table.restore-changes").get_text(" ")
    assert "Друга версія" in changes and "Перша версія" in changes, "says what will change"
    assert editor_client.post(revision_url, {"post": "yes"}).status_code == 302
    article.refresh_from_db()

    assert article.headline == "Перша версія"
    assert article.body == "<p>Перший текст.</p>"
    assert article.photo_alt == "Перше фото"
    assert article.photo_renditions == first_renditions
    assert sorted(article.tags.names()) == ["ППО", "Франція"]
    assert Version.objects.get_for_object(article).count() == 3, "the restore is a new version"


def test_a_deleted_article_is_recovered_with_its_id_slug_tags_and_authors(editor_client):
    author = make_author("Ірина Коваль")
    article = make_article("Стаття, яку видалять", tags=["ППО"], authors=[author])
    edit(editor_client, article, headline="Стаття, яку видалять")
    pk, slug = article.pk, article.slug
    delete_url = reverse("admin:articles_article_delete", args=[pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=pk).exists()

    recoverlist = editor_client.get(reverse("admin:articles_article_recoverlist"))
    assert "Стаття, яку видалять" in recoverlist.content.decode()
    deleted = Version.objects.get_deleted(Article).get(object_id=str(pk))
    recover_url = reverse("admin:articles_article_recover", args=[deleted.pk])
    assert "Стаття, яку видалять" in editor_client.get(recover_url).content.decode()
    assert editor_client.post(recover_url, {"post": "yes"}).status_code == 302

    recovered = Article.objects.get(pk=pk)
    assert recovered.slug == slug
    assert recovered.tags.names()[0] == "ППО"
    assert recovered.ordered_authors() == [author]
    assert Client().get(recovered.get_absolute_url()).status_code == 200
