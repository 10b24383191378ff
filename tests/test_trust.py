"""What an outside review found a reporter or the clock could do to what
readers see: history that reached other articles, publication times set when
a form opened, restores that unpublished, conflicts that named every field."""

from datetime import timedelta
from io import StringIO

import pytest
import reversion
import time_machine
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, ArticleNote, Tag
from tests.factories import make_article, make_draft
from tests.forms import change_url, edit, form_data, new_article_form

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def editors_story_and_reporters_draft(reporter):
    """An editor's live story whose history holds a Tag version with the id
    of a reporter's own draft (ids are only unique per model)."""
    draft = make_draft("Чернетка репортера", created_by=reporter)
    Tag.objects.create(pk=draft.pk, name="ППО")
    with reversion.create_revision():
        story = make_draft("Історія редактора", tags=["ППО"])
    story.publish()
    story.save()
    tag_version = Version.objects.get_for_object_reference(Tag, draft.pk).get()
    return story, draft, tag_version


def test_a_reporter_cannot_restore_another_models_version_through_own_draft(
    reporter_client, editors_story_and_reporters_draft
):
    story, draft, tag_version = editors_story_and_reporters_draft
    url = reverse("admin:articles_article_revision", args=[draft.pk, tag_version.pk])
    assert reporter_client.get(url).status_code == 404, "no hint which ids work"
    assert reporter_client.post(url, {"post": "yes"}).status_code == 404
    story.refresh_from_db()
    assert story.is_published


def test_recover_accepts_only_a_deleted_article_and_only_from_an_editor(
    reporter_client, editor, editors_story_and_reporters_draft
):
    story, _draft, tag_version = editors_story_and_reporters_draft
    story_version = Version.objects.get_for_object(story).first()
    for version in (tag_version, story_version):
        url = reverse("admin:articles_article_recover", args=[version.pk])
        assert reporter_client.post(url, {"post": "yes"}).status_code == 403
    reporter_client.force_login(editor)
    for version in (tag_version, story_version):
        url = reverse("admin:articles_article_recover", args=[version.pk])
        assert reporter_client.post(url, {"post": "yes"}).status_code == 404
    story.refresh_from_db()
    assert story.is_published


def test_only_editors_list_deleted_articles(reporter_client, editor):
    url = reverse("admin:articles_article_recoverlist")
    assert Client().get(url).status_code == 302  # to the login page
    assert reporter_client.get(url).status_code == 403
    assert url not in reporter_client.get(CHANGELIST).content.decode(), "nor offered"
    reporter_client.force_login(editor)
    assert reporter_client.get(url).status_code == 200
    assert url in reporter_client.get(CHANGELIST).content.decode()


def test_a_reporter_cannot_compare_versions_of_anothers_article(reporter_client, reporter, editor):
    editors = Client()
    editors.force_login(editor)
    embargoed = make_draft("Ембарго до ранку", tags=["ППО"])
    edit(editors, embargoed, lead="Таємний лід до ранку.")
    edit(editors, embargoed, lead="Ще таємніший лід.")
    one, two = sorted(Version.objects.get_for_object(embargoed).values_list("pk", flat=True))
    query = {"version_id1": one, "version_id2": two}
    compare = reverse("admin:articles_article_compare", args=[embargoed.pk])
    response = reporter_client.get(compare, query)
    assert response.status_code in {302, 404} and "Таємн" not in response.content.decode()
    own = make_draft("Своя чернетка", created_by=reporter)
    through_own = reverse("admin:articles_article_compare", args=[own.pk])
    response = reporter_client.get(through_own, query)
    assert response.status_code == 404 and "Таємн" not in response.content.decode()
    assert editors.get(compare, query).status_code == 200


def test_a_reporter_restores_own_drafts_but_never_a_published_story(reporter_client, reporter):
    draft = make_draft("Перша версія", created_by=reporter, tags=["ППО"])
    edit(reporter_client, draft, headline="Перша версія")
    edit(reporter_client, draft, headline="Друга версія")
    first = Version.objects.get_for_object(draft).last()
    url = reverse("admin:articles_article_revision", args=[draft.pk, first.pk])
    assert reporter_client.post(url, {"post": "yes"}).status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "Перша версія"

    draft.publish()
    draft.save()
    draft.status = Article.Status.DRAFT  # taken down again: readers saw it
    draft.save()
    assert reporter_client.post(url, {"post": "yes"}).status_code == 403


def test_an_editor_account_is_not_a_superuser_unless_asked(db, django_user_model):
    call_command("create_editor", "--username", "olena", stdout=StringIO())
    olena = django_user_model.objects.get(username="olena")
    assert olena.is_staff and not olena.is_superuser
    assert olena.has_perm("articles.publish_article")
    assert not olena.has_perm("auth.add_user")
    call_command("create_editor", "--username", "chief", "--superuser", stdout=StringIO())
    assert django_user_model.objects.get(username="chief").is_superuser


def test_publishing_a_draft_started_days_ago_publishes_it_now(editor_client):
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        response = editor_client.post(
            reverse("admin:articles_article_add"), new_article_form(editor_client, tags="ППО")
        )
        assert response.status_code == 302
    article = Article.objects.get()
    older = make_article("Вчорашня новина", ago=timedelta(days=1))
    edit(editor_client, article, status=Article.Status.PUBLISHED)
    assert abs(article.published_at - timezone.now()) < timedelta(minutes=1)
    assert article.first_published_at == article.published_at
    assert list(Article.objects.published()) == [article, older], "newest first"


def test_the_bulk_action_publishes_now_or_at_the_scheduled_time(editor_client):
    # A draft from before publication times could be left empty.
    draft = make_draft(
        "Стара чернетка", tags=["ППО"], published_at=timezone.now() - timedelta(days=5)
    )
    later = timezone.now() + timedelta(hours=2)
    scheduled = make_draft("Запланована", tags=["ППО"], published_at=later)
    editor_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [draft.pk, scheduled.pk]}
    )
    draft.refresh_from_db()
    scheduled.refresh_from_db()
    assert abs(draft.published_at - timezone.now()) < timedelta(minutes=1)
    assert scheduled.published_at == later and not scheduled.is_published
    assert scheduled.first_published_at == later, "first public then, not now"


def test_a_schedule_withdrawn_before_its_time_leaves_the_story_unpublished(editor_client):
    scheduled = make_draft("Запланована", published_at=timezone.now() + timedelta(hours=2))
    scheduled.publish()
    scheduled.save()
    editor_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [scheduled.pk]})
    scheduled.refresh_from_db()
    assert scheduled.first_published_at is None
    scheduled.published_at = None
    scheduled.publish()
    scheduled.save()
    assert abs(scheduled.first_published_at - timezone.now()) < timedelta(minutes=1)


def test_restoring_an_early_version_keeps_status_time_address_and_corrections(editor_client):
    story = make_draft("Перша версія", tags=["ППО"])
    edit(editor_client, story, headline="Перша версія")
    first = Version.objects.get_for_object(story).first()
    edit(editor_client, story, status=Article.Status.PUBLISHED, headline="Друга версія")
    ArticleNote.objects.create(article=story, kind="correction", text="Виправлено прізвище.")
    published_at, slug = story.published_at, story.slug
    url = reverse("admin:articles_article_revision", args=[story.pk, first.pk])
    page = BeautifulSoup(editor_client.get(url).content, "html.parser").get_text(" ")
    assert "Друга версія" in page and "Перша версія" in page
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Перша версія"
    assert story.is_published and story.published_at == published_at and story.slug == slug
    assert story.notes.get().text == "Виправлено прізвище."
    assert Version.objects.get_for_object(story).count() == 3, "the restore is a version"


def test_a_read_only_form_shows_the_body_as_text_not_html(client, django_user_model):
    from django.contrib.auth.models import Permission

    reader = django_user_model.objects.create_user("proof-reader", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(reader)
    story = make_article("Опублікована", body="<p>Перший абзац.</p>", created_by=reader)
    page = client.get(change_url(story)).content.decode()
    assert "Перший абзац." in page
    assert "&lt;p&gt;" not in page


def test_a_tag_only_drafts_use_has_no_public_page_nor_feed(client):
    make_draft("Чернетка", tags=["Ембарго"])
    for url in ("/tags/embarho/", "/tags/embarho/rss/", "/tags/embarho/atom/"):
        assert client.get(url).status_code == 404, url
    make_article("Новина", tags=["Ембарго"])
    assert client.get("/tags/embarho/").status_code == 200


def test_tags_differing_only_in_case_or_apostrophe_are_one(editor_client):
    first = make_article("Перша", tags=["Зеленський"])
    second = make_article("Друга", tags=["зеленський"])
    third = make_article("Третя")
    edit(editor_client, third, tags="ЗЕЛЕНСЬКИЙ, Знам'янка, знам’янка")
    assert Tag.objects.filter(name__in=["Зеленський", "зеленський"]).count() == 1
    assert first.tags.get() == second.tags.get() == third.tags.get(name="Зеленський")
    assert third.tags.count() == 2


def test_no_one_can_take_over_another_articles_old_address(reporter_client, reporter, editor):
    editors = Client()
    editors.force_login(editor)
    story = make_article("Стара назва", tags=["ППО"])
    old = story.slug
    edit(editors, story, slug="nova-nazva")
    draft = make_draft("Чернетка", created_by=reporter, tags=["ППО"])
    data = form_data(reporter_client.get(change_url(draft)))
    response = reporter_client.post(change_url(draft), {**data, "slug": old})
    assert response.status_code == 200, "refused"
    assert "іншій статті" in response.content.decode()
    assert Client().get(f"/news/{old}/")["Location"] == "/news/nova-nazva/"
    later = make_draft("Стара назва")  # a headline that would make that slug
    assert later.slug != old


def test_a_reporter_is_suggested_only_tags_of_what_they_may_open(reporter_client, reporter):
    make_draft("Чужа чернетка", tags=["Ембарго Альфа"])
    make_draft("Своя чернетка", created_by=reporter, tags=["Ембарго Бета"])
    make_article("Опублікована", tags=["Ембарго Гамма"])
    url = reverse("admin:articles_tag_suggest")
    assert sorted(reporter_client.get(url, {"q": "ембарго"}).json()) == [
        "Ембарго Бета",
        "Ембарго Гамма",
    ]
    tag_list = reporter_client.get(reverse("admin:articles_tag_changelist")).content.decode()
    assert "Альфа" not in tag_list


def test_restoring_keeps_a_tags_new_name(editor_client):
    story = make_draft("Стаття", tags=["Зеленьский"])
    edit(editor_client, story, headline="Стаття")
    first = Version.objects.get_for_object(story).first()
    tag = Tag.objects.get(name="Зеленьский")
    tag.name = "Зеленський"
    tag.save()
    url = reverse("admin:articles_article_revision", args=[story.pk, first.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert list(story.tags.names()) == ["Зеленський"]
    assert not Tag.objects.filter(name="Зеленьский").exists()


def test_a_first_publication_in_the_past_is_refused_with_a_reason(editor_client):
    draft = make_draft("Чернетка", tags=["ППО"])
    data = form_data(editor_client.get(change_url(draft)))
    data.update(status="published", published_at_0="01.01.2025", published_at_1="10:00:00")
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "залиште час порожнім" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_a_tag_written_differently_is_refused_in_the_tag_form(editor_client):
    make_article("Новина", tags=["Зеленський"])
    response = editor_client.post(reverse("admin:articles_tag_add"), {"name": "ЗЕЛЕНСЬКИЙ"})
    assert response.status_code == 200
    assert "Такий тег уже є" in response.content.decode()
    assert Tag.objects.count() == 1
