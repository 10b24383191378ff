"""Who may do what, as one table: anonymous, reporter, editor and superuser
against every editorial action. A reporter guessing another article's id
reaches nothing; a draft is a 404 to the public, never a 403."""

from datetime import timedelta

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Tag
from articles.roles import EDITOR, REPORTER
from desk.models import Assignment, EditorialComment
from editing.models import Autosave, PendingChange
from frontpage.models import Breaking, Front
from live.models import LiveCoverage, Update
from photos.models import Photo
from tests.conftest import member_of
from tests.factories import make_article, make_draft
from tests.forms import form_data
from tests.test_front_page import slot_form, split_time
from tests.test_photo_library import make_photo
from tests.test_photos import jpeg

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:articles_article_changelist")
DAY = timedelta(days=1)
TO_LOGIN = "login"  # redirected to the admin's login page
NOT_THERE = "index"  # redirected to the admin index: "no such article"
DONE, REFUSED = "done", "refused"

# Each action's answer to each role, for the role's own draft ("own") and for a
# draft another reporter wrote ("other's").
EXPECTED = {
    "anonymous": {
        "list": TO_LOGIN,
        "add": TO_LOGIN,
        "edit other's": TO_LOGIN,
        "publish own": REFUSED,
        "delete own": REFUSED,
        "history other's": TO_LOGIN,
        "compare other's": TO_LOGIN,
        "restore other's": REFUSED,
        "recover list": TO_LOGIN,
        "preview other's": 404,
        "autosave other's": TO_LOGIN,
        "live preview other's": TO_LOGIN,
        "prepare other's": TO_LOGIN,
        "see prepared other's": TO_LOGIN,
        "dashboard": TO_LOGIN,
        "send for review own": REFUSED,
        "approve own": REFUSED,
        "send back own": REFUSED,
        "assign reporter own": REFUSED,
        "comment other's": REFUSED,
        "resolve comment other's": REFUSED,
        "merge tags": REFUSED,
        "photo library": TO_LOGIN,
        "upload photos": REFUSED,
        "choose photos": TO_LOGIN,
        "original photo": TO_LOGIN,
        "change published photo": REFUSED,
        "remove photo": REFUSED,
        "check embed": TO_LOGIN,
        "curated pages": TO_LOGIN,
        "pin top story": REFUSED,
        "mark breaking": REFUSED,
        "end breaking": REFUSED,
        "live desk": TO_LOGIN,
        "switch on live": REFUSED,
        "post live update": REFUSED,
        "publish live update": REFUSED,
        "approve live update": REFUSED,
        "edit live update": REFUSED,
        "delete live update": REFUSED,
    },
    "reporter": {
        "list": 200,
        "add": 200,
        "edit own": 200,
        "edit other's": NOT_THERE,
        "publish own": REFUSED,
        "delete own": REFUSED,
        "history own": 200,
        "history other's": NOT_THERE,
        "compare own": 200,
        "compare other's": 404,
        "restore own": DONE,
        "restore other's": REFUSED,
        "recover list": 403,
        "preview own": 200,
        "preview other's": 404,
        "autosave own": DONE,
        "autosave other's": 404,
        "live preview own": 200,
        "live preview other's": 404,
        "prepare own": DONE,
        "prepare other's": NOT_THERE,
        "see prepared own": 200,
        "see prepared other's": 404,
        "dashboard": 200,
        "send for review own": DONE,
        "send for review other's": REFUSED,
        "approve own": REFUSED,
        "send back own": REFUSED,
        "assign reporter own": REFUSED,
        "comment own": DONE,
        "comment other's": REFUSED,
        "resolve comment own": DONE,
        "resolve comment other's": REFUSED,
        "merge tags": REFUSED,
        "photo library": 200,
        "upload photos": DONE,
        "choose photos": 200,
        "original photo": 200,
        "change published photo": REFUSED,
        "remove photo": REFUSED,
        "check embed": 200,
        "curated pages": 403,
        "pin top story": REFUSED,
        "mark breaking": REFUSED,
        "end breaking": REFUSED,
        "live desk": 200,
        "switch on live": REFUSED,
        "post live update": DONE,
        "publish live update": REFUSED,
        "approve live update": REFUSED,
        "edit live update": REFUSED,
        "delete live update": REFUSED,
    },
    "editor": {
        "list": 200,
        "add": 200,
        "edit own": 200,
        "edit other's": 200,
        "publish own": DONE,
        "delete own": DONE,
        "history own": 200,
        "history other's": 200,
        "compare own": 200,
        "compare other's": 200,
        "restore own": DONE,
        "restore other's": DONE,
        "recover list": 200,
        "preview own": 200,
        "preview other's": 200,
        "autosave own": DONE,
        "autosave other's": DONE,
        "live preview own": 200,
        "live preview other's": 200,
        "prepare own": DONE,
        "prepare other's": DONE,
        "see prepared own": 200,
        "see prepared other's": 200,
        "dashboard": 200,
        "send for review own": DONE,
        "send for review other's": DONE,
        "approve own": DONE,
        "send back own": DONE,
        "assign reporter own": DONE,
        "comment own": DONE,
        "comment other's": DONE,
        "resolve comment own": DONE,
        "resolve comment other's": DONE,
        "merge tags": DONE,
        "photo library": 200,
        "upload photos": DONE,
        "choose photos": 200,
        "original photo": 200,
        "change published photo": DONE,
        "remove photo": DONE,
        "check embed": 200,
        "curated pages": 200,
        "pin top story": DONE,
        "mark breaking": DONE,
        "end breaking": DONE,
        "live desk": 200,
        "switch on live": DONE,
        "post live update": DONE,
        "publish live update": DONE,
        "approve live update": DONE,
        "edit live update": DONE,
        "delete live update": DONE,
    },
}
EXPECTED["superuser"] = EXPECTED["editor"]


def user_for(role, django_user_model):
    if role == "anonymous":
        return None
    if role == "superuser":
        return django_user_model.objects.create_superuser("chief", password="unused-in-tests")
    return member_of(django_user_model, {"reporter": REPORTER, "editor": EDITOR}[role])


def answer(response):
    if response.status_code != 302:
        return response.status_code
    return TO_LOGIN if "/login/" in response["Location"] else NOT_THERE


def two_versions(article):
    """The article's history: "Перша версія", then "Друга версія"."""
    for headline in ("Перша версія", "Друга версія"):
        with reversion.create_revision():
            article.headline = headline
            article.save()
    return list(Version.objects.get_for_object(article).order_by("pk"))


def perform(client, action, article):
    """Do `action` to `article`; what the user got, or for changes, whether
    the change happened."""
    verb = action.rsplit(" ", 1)[0]
    if verb.endswith(" live") or verb in ("live", "switch on"):
        return perform_live(client, verb)
    if verb == "list":
        return answer(client.get(CHANGELIST))
    if verb == "add":
        return answer(client.get(reverse("admin:articles_article_add")))
    if verb == "edit":
        return answer(client.get(reverse("admin:articles_article_change", args=[article.pk])))
    if verb == "history":
        return answer(client.get(reverse("admin:articles_article_history", args=[article.pk])))
    if verb == "compare":
        one, two = two_versions(article)
        url = reverse("admin:articles_article_compare", args=[article.pk])
        return answer(client.get(url, {"version_id1": one.pk, "version_id2": two.pk}))
    if verb == "restore":
        first, _second = two_versions(article)
        url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
        client.post(url, {"post": "yes"})
        article.refresh_from_db()
        return DONE if article.headline == "Перша версія" else REFUSED
    if verb == "recover":
        return answer(client.get(reverse("admin:articles_article_recoverlist")))
    if verb == "preview":
        return client.get(article.get_absolute_url()).status_code
    if verb == "autosave":
        url = reverse("admin:articles_article_autosave", args=[article.pk])
        response = client.post(url, {"headline": "Автозбережене", "form_key": "matrix"})
        return DONE if Autosave.objects.filter(article=article).exists() else answer(response)
    if verb == "live preview":
        url = reverse("admin:articles_article_live_preview", args=[article.pk])
        return answer(client.post(url, {"headline": "Живий перегляд"}))
    if verb == "prepare":
        Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
        url = reverse("admin:articles_article_change", args=[article.pk])
        page = client.get(url)
        if page.status_code != 200:
            return answer(page)
        data = {**form_data(page), "headline": "Підготовлене", "_save_pending": "1"}
        client.post(url, data)
        article.refresh_from_db()
        prepared = article.pending_changes.exists() and article.headline != "Підготовлене"
        return DONE if prepared else REFUSED
    if verb == "see prepared":
        Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
        change = PendingChange.objects.create(
            article=article, created_by=article.created_by, data={"headline": ["Підготовлене"]}
        )
        url = reverse("admin:articles_article_pending_preview", args=[article.pk, change.pk])
        return answer(client.get(url))
    if verb == "dashboard":
        return answer(client.get(reverse("admin:index")))
    if verb == "send for review":
        status = desk_step(client, article, "submit")
        return DONE if status == Article.Status.IN_REVIEW else REFUSED
    if verb == "approve":
        Article.objects.filter(pk=article.pk).update(status=Article.Status.IN_REVIEW)
        status = desk_step(client, article, "approve")
        return DONE if status == Article.Status.APPROVED else REFUSED
    if verb == "send back":
        Article.objects.filter(pk=article.pk).update(status=Article.Status.IN_REVIEW)
        status = desk_step(client, article, "request_changes", desk_note="Переробіть.")
        return DONE if status == Article.Status.CHANGES_REQUESTED else REFUSED
    if verb == "assign reporter":
        other = get_user_model().objects.get(username="another-reporter")
        other.groups.add(Group.objects.get(name=REPORTER))
        desk_step(client, article, None, assigned_reporter=other.pk)
        assigned = Assignment.objects.filter(article=article, reporter=other).exists()
        return DONE if assigned else REFUSED
    if verb == "comment":
        url = reverse("admin:articles_article_comment", args=[article.pk])
        client.post(url, {"text": "Коментар."})
        return DONE if EditorialComment.objects.filter(article=article).exists() else REFUSED
    if verb == "resolve comment":
        comment = EditorialComment.objects.create(article=article, text="Виправте лід.")
        url = reverse("admin:articles_article_resolve_comment", args=[article.pk, comment.pk])
        client.post(url, {"resolved": "1"})
        comment.refresh_from_db()
        return DONE if comment.resolved_at else REFUSED
    if verb == "merge":  # tags
        make_draft("Друга чернетка", tags=["Збройні сили"], created_by=article.created_by)
        tags = list(Tag.objects.values_list("pk", flat=True))
        url = reverse("admin:articles_tag_changelist")
        client.post(url, {"action": "merge", "_selected_action": tags, "keep": tags[0]})
        return DONE if Tag.objects.count() == 1 else REFUSED
    if verb == "photo":  # the library
        return answer(client.get(reverse("admin:photos_photo_changelist")))
    if verb == "upload":
        client.post(reverse("admin:photos_photo_upload"), {"images": [jpeg()], "credit": "Ф"})
        return DONE if Photo.objects.exists() else REFUSED
    if verb == "choose":
        return answer(client.get(reverse("admin:photos_photo_chooser"), {"q": "Міністри"}))
    if verb == "original":
        return answer(client.get(make_photo().image.url))
    if verb == "change published":
        photo = make_photo()
        make_article(body=f'<figure data-photo="{photo.pk}"></figure>')
        url = reverse("admin:photos_photo_change", args=[photo.pk])
        page = client.get(url)
        data = form_data(page, form_id="photo_form") if page.status_code == 200 else {}
        client.post(url, {**data, "caption": "Змінений підпис"})
        photo.refresh_from_db()
        return DONE if photo.caption == "Змінений підпис" else REFUSED
    if verb == "remove":  # a photo no story shows
        photo = make_photo()
        client.post(reverse("admin:photos_photo_delete", args=[photo.pk]), {"post": "yes"})
        return REFUSED if Photo.objects.filter(pk=photo.pk).exists() else DONE
    if verb == "check":  # an embed's link
        return answer(client.get(reverse("embed-check"), {"url": "https://t.me/a/1"}))
    if verb == "curated":  # pages
        return answer(client.get(reverse("admin:frontpage_front_changelist")))
    if verb == "pin top":
        front = Front.objects.get(section=None)
        url = reverse("admin:frontpage_front_change", args=[front.pk])
        client.post(url, slot_form(front, [("top", make_article(), 1)]))
        return DONE if front.slots.exists() else REFUSED
    if verb == "mark":  # breaking
        data = {"article": make_article().pk, **split_time("ends_at", timezone.now() + DAY)}
        client.post(reverse("admin:frontpage_breaking_add"), data)
        return DONE if Breaking.objects.exists() else REFUSED
    if verb == "end":  # breaking
        breaking = Breaking.objects.create(article=make_article(), ends_at=timezone.now() + DAY)
        url = reverse("admin:frontpage_breaking_changelist")
        client.post(url, {"action": "end_now", "_selected_action": [breaking.pk]})
        breaking.refresh_from_db()
        return DONE if not breaking.is_on else REFUSED
    if verb == "publish":
        client.post(CHANGELIST, {"action": "publish", "_selected_action": [article.pk]})
        article.refresh_from_db()
        return DONE if article.status == Article.Status.PUBLISHED else REFUSED
    if verb == "delete":
        url = reverse("admin:articles_article_delete", args=[article.pk])
        client.post(url, {"post": "yes"})
        return REFUSED if Article.objects.filter(pk=article.pk).exists() else DONE
    raise ValueError(action)


def perform_live(client, verb):
    """The live desk's actions, on a live story with another editor's update."""
    story = make_article("Онлайн-трансляція")
    LiveCoverage.objects.create(article=story, is_live=True)
    theirs = Update.objects.create(article=story, body="<p>Чуже оновлення.</p>")
    if verb == "live":  # desk
        return answer(client.get(reverse("admin:live_livecoverage_change", args=[story.pk])))
    if verb == "switch on":
        other = make_article()
        client.post(
            reverse("admin:live_livecoverage_add"),
            {"article": other.pk, "is_live": "on", **split_time("started_at", timezone.now())},
        )
        return DONE if LiveCoverage.objects.filter(pk=other.pk).exists() else REFUSED
    post_url = reverse("admin:live_livecoverage_post", args=[story.pk])
    if verb in ("post live", "publish live"):
        client.post(post_url, {"update-body": "<p>Нове оновлення.</p>"})
        new = Update.objects.exclude(pk=theirs.pk).first()
        if verb == "post live":
            return DONE if new else REFUSED
        return DONE if new and new.is_published else REFUSED
    if verb == "approve live":
        Update.objects.filter(pk=theirs.pk).update(status=Update.Status.DRAFT, posted_at=None)
        client.post(reverse("admin:live_livecoverage_publish", args=[story.pk, theirs.pk]))
        theirs.refresh_from_db()
        return DONE if theirs.is_published else REFUSED
    if verb == "edit live":
        url = reverse("admin:live_update_change", args=[theirs.pk])
        client.post(url, {"body": "<p>Переписане.</p>", "_save": "1"})
        theirs.refresh_from_db()
        return DONE if "Переписане" in theirs.body else REFUSED
    if verb == "delete live":
        client.post(reverse("admin:live_update_delete", args=[theirs.pk]), {"post": "yes"})
        return REFUSED if Update.objects.filter(pk=theirs.pk).exists() else DONE
    raise ValueError(verb)


def desk_step(client, article, button, **fields):
    """Press a desk button (None: just save) on the article's form, or post
    it blind when the form does not open for this user; the status after."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(url)
    data = form_data(page) if page.status_code == 200 else {"headline": "Чужа"}
    if button:
        data["_desk"] = button
    client.post(url, {**data, **fields})
    article.refresh_from_db()
    return article.status


@pytest.mark.parametrize(
    ("role", "action"),
    [(role, action) for role, actions in EXPECTED.items() for action in actions],
)
def test_each_role_gets_exactly_its_answer(client, django_user_model, role, action):
    user = user_for(role, django_user_model)
    author = django_user_model.objects.create_user("another-reporter", is_staff=True)
    if user is not None:
        client.force_login(user)
    own = action.endswith("own")
    article = make_draft(
        "Чернетка, готова до випуску", tags=["Оборона"], created_by=user if own else author
    )
    assert perform(client, action, article) == EXPECTED[role][action]


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/rss/",
        "/atom/",
        "/sitemap.xml",
        "/search/?q=чернетка",
        "/tags/taiemnytsia/",
        "/_fragments/latest/",
        "/live/{pk}/after/0/",
    ],
)
def test_drafts_are_absent_from_every_public_list(client, address):
    draft = make_draft("Чернетка, якої ніхто не бачить", tags=["Таємниця"])
    LiveCoverage.objects.create(article=draft, is_live=True)
    Update.objects.create(article=draft, body="<p>Чернетка оновлення.</p>")
    response = client.get(address.format(pk=draft.pk))
    assert response.status_code in {200, 404}
    page = response.content.decode()
    assert "Чернетка" not in page and "chernetka" not in page


def test_the_sidebar_fragment_names_no_draft_by_its_number(client):
    """Behind Varnish the sidebar is fetched by the story's number: a
    draft's number gives the public sidebar, and no hint of the draft."""
    draft = make_draft("Чернетка, якої ніхто не бачить")
    response = client.get(f"/_fragments/latest/{draft.pk}/")
    assert response.status_code == 200
    assert "Чернетка" not in response.content.decode()
