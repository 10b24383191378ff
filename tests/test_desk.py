"""The desk: a story goes from a reporter's draft through review to
publication, each step enforced on the server, told to the people it
concerns and kept in the history."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Tag
from articles.roles import REPORTER
from desk.models import Assignment, EditorialComment, Notification
from tests.factories import make_article, make_author, make_draft, make_scheduled
from tests.forms import change_url, form_data, new_article_form

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:articles_article_changelist")
INDEX = reverse("admin:index")
Status = Article.Status


def press(client, article, button, **changes):
    """Open the article's form, change `changes`, press a desk button."""
    data = {**form_data(client.get(change_url(article))), **changes, "_desk": button}
    response = client.post(change_url(article), data)
    article.refresh_from_db()
    return response


def history_comments(article):
    return [v.revision.comment for v in Version.objects.get_for_object(article)]


def text_of(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


@pytest.fixture
def story(reporter):
    return make_draft("Умєров зустрівся з Лекорню", tags=["Оборона"], created_by=reporter)


@pytest.fixture
def both(client, reporter, editor):
    """A client per role, logged in."""
    from django.test import Client

    reporter_client, editor_client = Client(), Client()
    reporter_client.force_login(reporter)
    editor_client.force_login(editor)
    return reporter_client, editor_client


def test_a_reporter_sends_a_draft_for_review_with_a_note(both, story, editor):
    reporter_client, _editor_client = both
    Assignment.objects.create(article=story, editor=editor)
    response = press(reporter_client, story, "submit", desk_note="Перевірте цитату міністра.")
    assert response.status_code == 302
    assert story.status == Status.IN_REVIEW
    assert EditorialComment.objects.get(article=story).text == "Перевірте цитату міністра."
    assert Notification.objects.get(user=editor).kind == Notification.Kind.SUBMITTED
    assert history_comments(story)[0].startswith(
        "Надіслано на перевірку: «Перевірте цитату міністра.»"
    )


def test_a_reporter_can_take_no_editors_step(both, story):
    reporter_client, _editor_client = both
    for button in ("approve", "request_changes", "publish", "nonsense"):
        response = press(reporter_client, story, button, desk_note="Сам собі схвалю.")
        assert response.status_code == 403, button
        assert story.status == Status.DRAFT


def test_steps_go_only_from_the_states_they_leave(both, story):
    _reporter_client, editor_client = both
    # Nothing to send back: the story was never sent for review.
    response = press(editor_client, story, "request_changes", desk_note="Переробіть.")
    assert response.status_code == 200
    assert "Стаття вже «Чернетка»" in text_of(response)
    assert story.status == Status.DRAFT


def test_sending_back_needs_a_note_and_loses_nothing_without_one(both, story):
    reporter_client, editor_client = both
    press(reporter_client, story, "submit")
    response = press(editor_client, story, "request_changes", lead="Новий лід редактора.")
    assert response.status_code == 200
    assert "Напишіть, що виправити" in text_of(response)
    assert story.status == Status.IN_REVIEW and story.lead != "Новий лід редактора."
    assert "Новий лід редактора." in response.content.decode()


def test_a_story_sent_back_returns_to_its_reporter_who_resends_it(both, story, reporter):
    reporter_client, editor_client = both
    press(reporter_client, story, "submit")
    press(editor_client, story, "request_changes", desk_note="Лід задовгий: скоротіть.")
    assert story.status == Status.CHANGES_REQUESTED
    note = Notification.objects.get(user=reporter, kind=Notification.Kind.CHANGES_REQUESTED)
    assert note.text == "Лід задовгий: скоротіть."
    dashboard = text_of(reporter_client.get(INDEX))
    assert "Повернуто мені" in dashboard and story.headline in dashboard
    assert press(reporter_client, story, "submit", lead="Коротший лід.").status_code == 302
    assert story.status == Status.IN_REVIEW and story.lead == "Коротший лід."
    steps = history_comments(story)
    assert steps[0].startswith("Надіслано на перевірку")
    assert steps[1].startswith("Повернуто на доопрацювання: «Лід задовгий: скоротіть.»")


def test_an_editor_approves_then_schedules(both, story):
    reporter_client, editor_client = both
    press(reporter_client, story, "submit")
    press(editor_client, story, "approve")
    assert story.status == Status.APPROVED
    # Approved: the reporter's hands are off it.
    assert reporter_client.get(change_url(story)).status_code == 200
    assert press(reporter_client, story, "submit").status_code == 403
    when = timezone.localtime(timezone.now() + timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    data = form_data(editor_client.get(change_url(story)))
    data.update(
        status=Status.PUBLISHED,
        published_at_0=when.strftime("%d.%m.%Y"),
        published_at_1="09:00:00",
    )
    assert editor_client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.is_scheduled
    assert history_comments(story)[0].startswith("Заплановано на ")


def test_a_scheduled_story_says_when_it_goes_out_never_published(editor_client):
    at = timezone.make_aware(timezone.datetime(2031, 11, 27, 9, 0))
    story = make_scheduled("Заплановане", after=at - timezone.now())
    listing = text_of(editor_client.get(CHANGELIST))
    assert "Заплановано на 27 листопада, 09:00" in listing
    form = text_of(editor_client.get(change_url(story)))
    assert "Заплановано на 27 листопада, 09:00" in form
    row = BeautifulSoup(editor_client.get(CHANGELIST).content, "html.parser").find(
        "a", string="Заплановане"
    )
    assert "Опубліковано" not in row.find_parent("tr").get_text()


def test_an_unpublished_story_says_so(editor_client):
    story = make_article("Знята новина")
    editor_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [story.pk]})
    assert "Знято з публікації" in text_of(editor_client.get(CHANGELIST + "?state=unpublished"))


def test_the_state_filter_tells_each_state_apart(editor_client):
    make_article("Опублікована")
    make_scheduled("Запланована")
    make_draft("Чернетка")
    make_article("На перевірці", status=Status.IN_REVIEW, published_at=None)

    def listed(state):
        page = BeautifulSoup(editor_client.get(CHANGELIST, {"state": state}).content, "html.parser")
        return {a.get_text() for a in page.select("#result_list th.field-headline a")}

    assert listed("published") == {"Опублікована"}
    assert listed("scheduled") == {"Запланована"}
    assert listed("draft") == {"Чернетка"}
    assert listed("in_review") == {"На перевірці"}


def test_an_assigned_reporter_sees_and_writes_the_story(both, reporter, editor):
    reporter_client, editor_client = both
    story = make_draft("Завдання від редактора", created_by=editor)
    data = form_data(editor_client.get(change_url(story)))
    response = editor_client.post(change_url(story), {**data, "assigned_reporter": reporter.pk})
    assert response.status_code == 302
    assert Assignment.objects.get(article=story).reporter == reporter
    assert Notification.objects.get(user=reporter).kind == Notification.Kind.ASSIGNED
    dashboard = text_of(reporter_client.get(INDEX))
    assert "Призначено мені" in dashboard and "Завдання від редактора" in dashboard
    assert press(reporter_client, story, "submit", lead="Написав.").status_code == 302
    assert story.status == Status.IN_REVIEW and story.lead == "Написав."


def test_a_reporter_cannot_assign_reporters(both, story, django_user_model):
    reporter_client, _editor_client = both
    other = django_user_model.objects.create_user("another-reporter", is_staff=True)
    other.groups.add(Group.objects.get(name=REPORTER))
    data = form_data(reporter_client.get(change_url(story)))
    reporter_client.post(change_url(story), {**data, "assigned_reporter": other.pk})
    assert not Assignment.objects.filter(article=story, reporter=other).exists()


def test_comments_thread_resolve_and_stay_out_of_content_and_public_pages(
    both, story, client, reporter, editor
):
    reporter_client, editor_client = both
    url = reverse("admin:articles_article_comment", args=[story.pk])
    editor_client.post(url, {"field": "lead", "text": "Лід не каже, де зустріч."})
    comment = EditorialComment.objects.get()
    assert comment.author == editor and str(comment) == "Лід: Лід не каже, де зустріч."
    assert Notification.objects.get(user=reporter).kind == Notification.Kind.COMMENT
    assert "1 новий коментар" in text_of(reporter_client.get(INDEX))
    reporter_client.post(url, {"text": "Додав: у Парижі.", "parent": comment.pk})
    assert comment.replies.get().author == reporter
    # Opening the article reads what is new on it.
    page = text_of(reporter_client.get(change_url(story)))
    assert "Лід: Лід не каже, де зустріч." in page and "Додав: у Парижі." in page
    assert not Notification.objects.filter(user=reporter, read_at=None).exists()
    resolve = reverse("admin:articles_article_resolve_comment", args=[story.pk, comment.pk])
    for _twice in range(2):  # two people resolving at once leave it resolved
        editor_client.post(resolve, {"resolved": "1"})
    soup = BeautifulSoup(editor_client.get(change_url(story)).content, "html.parser")
    assert soup.select_one(f"details#comment-{comment.pk}:not([open])"), "resolved ones collapse"
    reporter_client.post(resolve, {"resolved": "0"})
    comment.refresh_from_db()
    assert comment.resolved_at is None, "and it can be reopened"
    # Not content: no version holds them, readers never see them.
    for version in Version.objects.all():
        assert "Лід не каже" not in version.serialized_data
    Article.objects.filter(pk=story.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    for address in (story.get_absolute_url(), "/rss/", "/atom/"):
        assert "Лід не каже" not in client.get(address).content.decode()


def test_only_who_may_open_the_article_may_comment(both, django_user_model):
    reporter_client, _editor_client = both
    others = make_draft("Чужа чернетка")
    url = reverse("admin:articles_article_comment", args=[others.pk])
    response = reporter_client.post(url, {"text": "Підглядаю."})
    assert response.status_code == 404
    assert not EditorialComment.objects.exists()


def test_comment_notifications_are_mailed_to_those_with_an_address(
    both, story, reporter, django_capture_on_commit_callbacks
):
    reporter.email = "reporter@example.com"
    reporter.save()
    _reporter_client, editor_client = both
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("admin:articles_article_comment", args=[story.pk]), {"text": "Додайте фото."}
        )
    assert [message.to for message in mail.outbox] == [["reporter@example.com"]]
    assert "Додайте фото." in mail.outbox[0].body
    assert change_url(story) in mail.outbox[0].body


def test_the_dashboard_lists_what_waits_for_whom(both, story, reporter, editor):
    reporter_client, editor_client = both
    press(reporter_client, story, "submit")
    soon = make_scheduled("Вийде вранці", after=timedelta(hours=3))
    later = make_scheduled("Вийде через тиждень", after=timedelta(days=7))
    dashboard = BeautifulSoup(editor_client.get(INDEX).content, "html.parser")

    def listed(title):
        heading = dashboard.find("h3", string=title)
        return [a.get_text() for a in heading.find_parent("div").select("li a")]

    assert listed("Чекають моєї перевірки") == [story.headline]
    assert listed("Заплановано на найближчі 24 години") == [soon.headline]
    assert later.headline not in dashboard.get_text()
    reporter_view = text_of(reporter_client.get(INDEX))
    assert "Чекають моєї перевірки" not in reporter_view
    assert soon.headline not in reporter_view, "a reporter sees only their own embargoes"


def test_each_dashboard_list_is_one_query_whatever_the_archive(editor_client, editor):
    from articles.archive import generate_archive
    from tests.factories import make_section

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(INDEX).status_code == 200
        return len(captured)

    few = queries()
    archive = generate_archive(2_000, [make_section()], make_author(), tag_name="Архів")
    Article.objects.filter(pk__in=[a.pk for a in archive[:500]]).update(status=Status.IN_REVIEW)
    Article.objects.filter(pk__in=[a.pk for a in archive[::3]]).update(
        updated_by=editor, created_by=editor
    )
    Assignment.objects.bulk_create(Assignment(article=a, editor=editor) for a in archive[::40])
    Notification.objects.bulk_create(
        Notification(user=editor, article=a, kind="comment", text="Коментар") for a in archive[:30]
    )
    assert queries() == few


def test_search_in_the_list_finds_tags_and_authors(editor_client):
    make_article("Зустріч у Парижі", tags=["Франція"], authors=[make_author("Ірина Коваль")])
    make_article("Інша новина")
    for query in ("Франція", "Коваль"):
        page = BeautifulSoup(editor_client.get(CHANGELIST, {"q": query}).content, "html.parser")
        assert [a.get_text() for a in page.select("#result_list th.field-headline a")] == [
            "Зустріч у Парижі"
        ]


def test_a_reporters_new_article_carries_their_byline(reporter_client, reporter):
    make_author("Олена Шевчук", user=reporter)
    data = new_article_form(reporter_client)
    assert data["bylines-0-author"] == str(reporter.author.pk)
    response = reporter_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.ordered_authors() == [reporter.author]


def test_reporters_use_existing_authors_but_only_editors_create_them(both):
    reporter_client, editor_client = both
    add_author = reverse("admin:articles_author_add")
    assert reporter_client.get(add_author).status_code == 403
    assert editor_client.get(add_author).status_code == 200


def test_the_tag_filter_offers_this_weeks_tags_and_narrows_the_list(editor_client):
    make_article("Про оборону", tags=["Оборона"])
    make_article("Про Францію", tags=["Франція"])
    page = BeautifulSoup(editor_client.get(CHANGELIST).content, "html.parser")
    offered = {a.get_text(strip=True) for a in page.select("#changelist-filter a[href*='tag=']")}
    assert {"Оборона", "Франція"} <= offered
    page = BeautifulSoup(editor_client.get(CHANGELIST, {"tag": "oborona"}).content, "html.parser")
    assert [a.get_text() for a in page.select("#result_list th.field-headline a")] == [
        "Про оборону"
    ]


def test_someone_taken_off_a_story_hears_nothing_more_of_it(both, story, django_user_model):
    _reporter_client, editor_client = both
    other = django_user_model.objects.create_user("another-reporter", is_staff=True)
    other.groups.add(Group.objects.get(name=REPORTER))
    Assignment.objects.create(article=story, reporter=other)
    EditorialComment.objects.create(article=story, author=other, text="Візьмуся.")
    Assignment.objects.filter(article=story).update(reporter=None)
    url = reverse("admin:articles_article_comment", args=[story.pk])
    editor_client.post(url, {"text": "Джерело підтвердило відставку."})
    assert not Notification.objects.filter(user=other).exists()
    # What reached them before they were taken off is not shown any more either.
    Notification.objects.create(user=other, article=story, kind="comment", text="Таємне.")
    other_client = Client()
    other_client.force_login(other)
    assert "Таємне" not in text_of(other_client.get(INDEX))


def test_a_reporters_prepared_change_cannot_choose_the_reporter(both, reporter, django_user_model):
    reporter_client, editor_client = both
    other = django_user_model.objects.create_user("another-reporter", is_staff=True)
    other.groups.add(Group.objects.get(name=REPORTER))
    live = make_article("Опублікована історія", tags=["Оборона"], created_by=reporter)
    data = form_data(reporter_client.get(change_url(live)))
    reporter_client.post(change_url(live), {**data, "assigned_reporter": other.pk})
    change = live.pending_changes.get()
    assert "assigned_reporter" not in change.data
    data = form_data(editor_client.get(change_url(live) + f"?pending={change.pk}"))
    assert data.get("assigned_reporter", "") == ""


def test_a_headline_with_a_line_break_still_gets_its_mail_out(
    both, story, reporter, django_capture_on_commit_callbacks
):
    reporter.email = "reporter@example.com"
    reporter.save()
    Article.objects.filter(pk=story.pk).update(headline="Перший рядок\r\nBcc: victim@example.com")
    _reporter_client, editor_client = both
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_article_comment", args=[story.pk]), {"text": "Перевірте."}
        )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["reporter@example.com"]]
    assert "\n" not in mail.outbox[0].subject and "Bcc" not in str(mail.outbox[0].bcc)


def test_the_tag_filter_does_not_confirm_an_embargoed_tag(reporter_client):
    make_scheduled("Відставка під ембарго", tags=["Відставка міністра"])
    tag = Tag.objects.get()
    page = BeautifulSoup(reporter_client.get(CHANGELIST, {"tag": tag.slug}).content, "html.parser")
    assert "Відставка міністра" not in page.select_one("#changelist-filter").get_text()


def test_a_year_the_database_cannot_hold_is_refused_in_words(reporter_client, story):
    data = form_data(reporter_client.get(change_url(story)))
    data.update(published_at_0="01.01.0001", published_at_1="00:00:00")
    response = reporter_client.post(change_url(story), data)
    assert response.status_code == 200
    assert "Вкажіть рік від 1900 до 9998." in text_of(response)


def test_a_second_send_keeps_what_was_typed(both, story):
    reporter_client, _editor_client = both
    stale = form_data(reporter_client.get(change_url(story)))
    press(reporter_client, story, "submit")
    response = reporter_client.post(
        change_url(story), {**stale, "lead": "Дописаний лід.", "_desk": "submit"}
    )
    assert response.status_code == 200
    assert "Стаття вже «На перевірці»" in text_of(response)
    assert "Дописаний лід." in response.content.decode()


def test_a_note_without_a_step_is_a_comment(both, story, editor):
    reporter_client, _editor_client = both
    Assignment.objects.create(article=story, editor=editor)
    data = form_data(reporter_client.get(change_url(story)))
    reporter_client.post(change_url(story), {**data, "desk_note": "Фото буде ввечері."})
    assert EditorialComment.objects.get(article=story).text == "Фото буде ввечері."
    assert Notification.objects.get(user=editor).kind == Notification.Kind.COMMENT


def test_the_review_steps_are_buttons_not_status_choices(editor_client, story):
    page = BeautifulSoup(editor_client.get(change_url(story)).content, "html.parser")
    offered = [option["value"] for option in page.select("#id_status option")]
    assert offered == ["draft", "published"]


def test_who_is_told_once_of_a_step_is_not_told_again_of_the_assignment(both, story, editor):
    reporter_client, _editor_client = both
    press(reporter_client, story, "submit", assigned_editor=editor.pk)
    assert [n.kind for n in Notification.objects.filter(user=editor)] == ["submitted"]


def test_a_new_articles_history_says_it_was_added_not_its_status(editor_client):
    data = new_article_form(editor_client, headline="Нова чернетка")
    editor_client.post(reverse("admin:articles_article_add"), data)
    article = Article.objects.get(headline="Нова чернетка")
    assert "Статус" not in history_comments(article)[0]


def test_a_note_with_a_prepared_change_is_its_writers_comment_at_once(both, reporter, editor):
    reporter_client, editor_client = both
    live = make_article("Опублікована історія", tags=["Оборона"], created_by=reporter)
    Assignment.objects.create(article=live, editor=editor)
    data = form_data(reporter_client.get(change_url(live)))
    reporter_client.post(
        change_url(live), {**data, "headline": "Виправлений заголовок", "desk_note": "Опечатка."}
    )
    change = live.pending_changes.get()
    assert "desk_note" not in change.data
    comment = EditorialComment.objects.get(article=live)
    assert (comment.author, comment.text) == (reporter, "Опечатка.")
    assert Notification.objects.get(user=editor).kind == Notification.Kind.COMMENT
    opened = form_data(editor_client.get(change_url(live) + f"?pending={change.pk}"))
    assert opened.get("desk_note", "") == ""
