"""Reporters write drafts; editors publish. Enforced on the server, by every path."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.roles import EDITOR, REPORTER
from tests.factories import make_article, make_draft
from tests.forms import form_data, new_article_form

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:articles_article_add")
CHANGELIST = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def permissions_of(role):
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


def test_roles_exist_after_migrate_and_rerunning_changes_nothing():
    before = {role: permissions_of(role) for role in (REPORTER, EDITOR)}
    assert "publish_article" in before[EDITOR]
    assert "publish_article" not in before[REPORTER]
    assert "delete_article" not in before[REPORTER]
    call_command("ensure_roles", verbosity=0)
    call_command("ensure_roles", verbosity=0)
    assert {role: permissions_of(role) for role in (REPORTER, EDITOR)} == before


def test_rerunning_repairs_a_role_someone_widened():
    from django.contrib.auth.models import Permission

    Group.objects.get(name=REPORTER).permissions.add(
        Permission.objects.get(codename="publish_article")
    )
    call_command("ensure_roles", verbosity=0)
    assert "publish_article" not in permissions_of(REPORTER)


def new_article_data(client, **fields):
    return new_article_form(client, headline="Чернетка репортера", tags="ППО", **fields)


def test_a_reporter_writes_a_draft(reporter_client, reporter):
    response = reporter_client.post(ADD_URL, new_article_data(reporter_client))
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.status, article.created_by) == ("draft", reporter)


def test_a_reporter_cannot_publish_with_a_crafted_form(reporter_client):
    data = new_article_data(reporter_client, status="published")
    reporter_client.post(ADD_URL, data)
    assert Article.objects.get().status == "draft"
    assert not Article.objects.published().exists()


def test_a_reporter_does_not_see_the_status_field(reporter_client):
    page = reporter_client.get(ADD_URL).content.decode()
    assert 'name="status"' not in page


def test_a_reporter_cannot_publish_by_bulk_action(reporter_client, reporter):
    draft = make_draft(created_by=reporter, tags=["ППО"])
    response = reporter_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_reporter_cannot_change_a_published_article(reporter_client, reporter):
    """A reporter's save of their published story is a prepared change for
    an editor (editing/): readers keep seeing the story as it was."""
    article = make_article(created_by=reporter)
    page = reporter_client.get(change_url(article))
    assert page.status_code == 200
    data = form_data(page)
    data.update(headline="Змінено", status="draft")
    response = reporter_client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline != "Змінено"
    assert article.status == Article.Status.PUBLISHED
    assert article.pending_changes.get().data["headline"] == ["Змінено"]


def test_a_reporter_cannot_reach_another_reporters_draft(reporter_client, django_user_model):
    other = django_user_model.objects.create_user("other")
    draft = make_draft(created_by=other)
    response = reporter_client.get(change_url(draft))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert reporter_client.post(change_url(draft), {"headline": "x"}).status_code == 302
    assert draft.headline not in reporter_client.get(CHANGELIST).content.decode()


def test_a_reporter_cannot_delete(reporter_client, reporter):
    draft = make_draft(created_by=reporter)
    url = reverse("admin:articles_article_delete", args=[draft.pk])
    assert reporter_client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=draft.pk).exists()


def test_an_editor_publishes_and_unpublishes_in_bulk(editor_client):
    public = Client()
    ready = make_draft(tags=["ППО"])
    unready = make_draft()  # no tag: the checklist refuses it
    response = editor_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [ready.pk, unready.pk]}, follow=True
    )
    page = response.content.decode()
    assert "1 статтю опубліковано" in page
    assert unready.headline in page  # named among those refused
    assert public.get(ready.get_absolute_url()).status_code == 200
    assert public.get(unready.get_absolute_url()).status_code == 404

    editor_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [ready.pk]})
    assert public.get(ready.get_absolute_url()).status_code == 404, "taken down at once"


def test_an_editor_changes_anyones_article(editor_client, reporter):
    article = make_article(created_by=reporter, tags=["ППО"])
    data = form_data(editor_client.get(change_url(article)))
    data["headline"] = "Редактор виправив заголовок"
    assert editor_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.headline == "Редактор виправив заголовок"


def test_a_reporter_previews_own_drafts_but_not_anothers(
    reporter_client, reporter, django_user_model
):
    own = make_draft(created_by=reporter)
    anothers = make_draft(created_by=django_user_model.objects.create_user("other"))
    assert reporter_client.get(own.get_absolute_url()).status_code == 200
    assert reporter_client.get(anothers.get_absolute_url()).status_code == 404


def test_an_editor_previews_anyones_draft(editor_client, reporter):
    assert editor_client.get(make_draft(created_by=reporter).get_absolute_url()).status_code == 200
