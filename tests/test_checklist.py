"""The pre-publish checklist: shown on the article form, enforced on publish."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles.models import Article
from tests.factories import make_draft, make_section
from tests.forms import new_article_form

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:articles_article_add")


def submit(admin_client, **fields):
    response = admin_client.post(ADD_URL, new_article_form(admin_client, **fields))
    page = BeautifulSoup(response.content, "html.parser")
    errors = {
        row.get("class")[-1].removeprefix("field-"): row.select_one(".errorlist").get_text(" ")
        for row in page.select(".form-row.errors")
        if row.select_one(".errorlist")
    }
    return response, errors


def test_a_ready_article_is_published(admin_client):
    response, errors = submit(
        admin_client, status="published", section=make_section().pk, tags="ППО, Франція"
    )
    assert response.status_code == 302, errors
    assert Article.objects.get().is_published


def test_publishing_without_section_or_tags_is_refused_saying_what_to_fix(admin_client):
    response, errors = submit(admin_client, status="published", section="", tags="")
    assert response.status_code == 200
    assert errors["section"] == "Виберіть рубрику."
    assert errors["tags"] == "Додайте хоча б один тег."
    assert not Article.objects.exists()


def test_overlong_headline_and_lead_are_refused_on_publish(admin_client):
    response, errors = submit(
        admin_client,
        status="published",
        section=make_section().pk,
        tags="ППО",
        headline="Д" * 111,
        lead="Л" * 301,
    )
    assert errors["headline"] == "Скоротіть заголовок до 110 знаків (зараз — 111)."
    assert errors["lead"] == "Скоротіть лід до 300 знаків (зараз — 301)."
    assert not Article.objects.exists()


def test_a_draft_may_be_saved_unfinished(admin_client):
    response, errors = submit(admin_client, status="draft", section="", tags="")
    assert response.status_code == 302, errors
    assert Article.objects.get().status == "draft"


def test_an_invalid_slug_is_refused(admin_client):
    response, errors = submit(
        admin_client, status="draft", section=make_section().pk, slug="нова адреса"
    )
    assert "slug" in errors
    assert not Article.objects.exists()


def test_the_form_shows_which_checks_still_fail(admin_client):
    draft = make_draft()
    Article.objects.filter(pk=draft.pk).update(section=None)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    page = BeautifulSoup(admin_client.get(url).content, "html.parser")
    items = {
        " ".join(li.get_text().split()): li["class"][0]
        for li in page.select(".publication-checklist li")
    }
    assert items["✗ Рубрику вибрано: Виберіть рубрику."] == "todo"
    assert items["✗ Є хоча б один тег: Додайте хоча б один тег."] == "todo"
    assert items["✓ Заголовок не довший за 110 знаків"] == "done"


def test_a_new_article_shows_the_checks_as_pending(admin_client):
    page = BeautifulSoup(admin_client.get(ADD_URL).content, "html.parser")
    items = page.select(".publication-checklist li")
    assert len(items) == 7
    assert {li["class"][0] for li in items} == {"pending"}
