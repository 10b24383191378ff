"""Who else is editing: the first to open an article holds it, the others
are told who and since when, and may take it over."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from editing.models import Presence
from tests.factories import make_draft
from tests.forms import change_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def olena_and_petro(editor, django_user_model):
    editor.first_name = "Олена"
    editor.save()
    petro = django_user_model.objects.create_user("petro", first_name="Петро", is_staff=True)
    petro.groups.set(editor.groups.all())
    return editor, petro


def presence_url(article):
    return reverse("admin:articles_article_presence", args=[article.pk])


def test_the_second_to_open_is_told_who_is_editing_and_since_when(client, olena_and_petro):
    olena, petro = olena_and_petro
    story = make_draft()
    client.force_login(olena)
    page = BeautifulSoup(client.get(change_url(story)).content, "html.parser")
    assert page.select_one("#presence-notice").has_attr("hidden"), "no one else is here"
    client.force_login(petro)
    page = BeautifulSoup(client.get(change_url(story)).content, "html.parser")
    notice = page.select_one("#presence-notice").get_text(" ", strip=True)
    assert "Олена редагує цю статтю з" in notice
    client.force_login(olena)
    state = client.post(presence_url(story)).json()
    assert state["editing"] is True and state["others"] == ["Петро"]


def test_taking_over_tells_the_one_who_held_it(client, olena_and_petro):
    olena, petro = olena_and_petro
    story = make_draft()
    client.force_login(olena)
    client.get(change_url(story))
    client.force_login(petro)
    client.get(change_url(story))
    state = client.post(presence_url(story), {"action": "take_over"}).json()
    assert state["editing"] is True and state["holder"] is None
    client.force_login(olena)
    state = client.post(presence_url(story)).json()
    assert state["editing"] is False
    assert state["taken_over_by"] == "Петро"
    assert state["holder"]["name"] == "Петро"


def test_a_holder_who_left_or_went_silent_frees_the_article(client, olena_and_petro):
    olena, petro = olena_and_petro
    story = make_draft()
    client.force_login(olena)
    client.get(change_url(story))
    client.post(presence_url(story), {"action": "leave"})
    client.force_login(petro)
    assert client.post(presence_url(story)).json()["editing"] is True

    Presence.objects.filter(user=petro).update(seen_at=timezone.now() - timedelta(minutes=5))
    client.force_login(olena)
    state = client.post(presence_url(story)).json()
    assert state["editing"] is True, "Petro went quiet: Olena holds the article"
    assert state["holder"] is None and state["others"] == []


def test_presence_is_only_for_those_who_may_edit(reporter_client, client):
    story = make_draft()
    assert reporter_client.post(presence_url(story)).status_code == 404
    client.logout()
    assert "/login/" in client.post(presence_url(story))["Location"]
