"""Corrections, clarifications and updates: shown to readers with their time.
A correction or a major update moves "Оновлено"; a typo fix does not."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticleNote
from tests.factories import make_article
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def revised_time(client, article):
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    revised = page.select_one(".article-meta .revised time")
    return revised and revised["datetime"]


def notes_on_page(client, article):
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    return [" ".join(p.get_text().split()) for p in page.select(".article-notes .note")]


def test_a_correction_is_shown_and_moves_the_updated_time(client):
    article = make_article(ago=timedelta(days=1))
    noted_at = timezone.now().replace(microsecond=0)
    ArticleNote.objects.create(
        article=article, kind="correction", text="Виправлено посаду генерала.", noted_at=noted_at
    )
    assert revised_time(client, article) == timezone.localtime(noted_at).isoformat()
    [note] = notes_on_page(client, article)
    assert note.startswith("Виправлення (")
    assert note.endswith("): Виправлено посаду генерала.")


def test_a_major_update_moves_the_updated_time_and_a_clarification_does_not(client):
    article = make_article(ago=timedelta(days=1))
    update_time = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    ArticleNote.objects.create(
        article=article, kind="update", text="Додано коментар.", noted_at=update_time
    )
    ArticleNote.objects.create(article=article, kind="clarification", text="Уточнено дату.")
    assert revised_time(client, article) == timezone.localtime(update_time).isoformat()
    assert [n.split(" (")[0] for n in notes_on_page(client, article)] == ["Оновлення", "Уточнення"]


def test_a_minor_edit_does_not_move_the_updated_time(editor_client, client):
    article = make_article(ago=timedelta(days=1), tags=["ППО"])
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(editor_client.get(url))
    data["body"] = "<p>Текст без одруківки.</p>"
    assert editor_client.post(url, data).status_code == 302
    client.logout()
    assert revised_time(client, article) is None


def test_an_editor_adds_a_correction_in_the_article_form(editor_client, client):
    article = make_article(tags=["ППО"])
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(editor_client.get(url))
    now = timezone.localtime()
    data.update(
        {
            "notes-TOTAL_FORMS": "1",
            "notes-0-kind": "correction",
            "notes-0-text": "Виправлено прізвище.",
            "notes-0-noted_at_0": now.strftime("%d.%m.%Y"),
            "notes-0-noted_at_1": now.strftime("%H:%M:%S"),
        }
    )
    assert editor_client.post(url, data).status_code == 302
    client.logout()
    assert notes_on_page(client, article)[0].endswith(": Виправлено прізвище.")
