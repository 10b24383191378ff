"""An editor and a reporter never meet English or broken grammar in the
admin: every page either can reach is read as they would read it."""

import re

import pytest
import reversion
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Tag
from articles.roles import EDITOR, REPORTER
from desk.models import EditorialComment
from tests.factories import make_article, make_author, make_draft, make_section

pytestmark = pytest.mark.django_db

# Words a page may show in Latin letters: codes and formats editors know by
# these names ("Адреса (slug)", "Опис фото (alt)").
ALLOWED = {"HTML", "URL", "RSS", "Atom", "slug", "alt"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z’'ʼ]+")
# Names of URLs, e-mail addresses, file names and slugs are code, not words.
CODE = re.compile(r"\S+://\S+|\S+@\S+|\S+\.(?:jpg|png|webp|svg)\b|\b[a-z0-9]+(?:-[a-z0-9]+)+\b")
# Model names in the nominative after a verb that takes the accusative.
NOMINATIVE = re.compile(
    r"\b(?:Додати|Змінити|Виберіть|Переглянути|видалити)\s+(?:ще\s+)?(?:один\s+|одну\s+)?"
    r"(?:стаття|рубрика|автор|підпис автора|користувач|група|спроба входу)\b",
    re.IGNORECASE,
)
TEXT_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


def visible_text(html):
    """What a person sees or hears on the page: its text, the text of its
    buttons and the labels in its attributes, not scripts nor content."""
    page = BeautifulSoup(html, "html.parser")
    # .hidden is the admin's display: none (the rows of hidden fields).
    for hidden in page.select("script, style, template, textarea, .field-slug, option, .hidden"):
        hidden.decompose()
    parts = [page.get_text(" ")]
    for element in page.find_all(True):
        parts += [element[name] for name in TEXT_ATTRIBUTES if element.has_attr(name)]
        if element.name == "input" and element.get("type") in ("submit", "button", "reset"):
            parts.append(element.get("value", ""))
    return " ".join(parts)


def problems(html, names):
    text = CODE.sub(" ", visible_text(html))
    latin = sorted({w for w in LATIN_WORD.findall(text) if w not in ALLOWED | names})
    return latin, NOMINATIVE.findall(text)


def two_versions(article):
    for headline in ("Перша версія", "Друга версія"):
        with reversion.create_revision():
            article.headline = headline
            article.save()
    return sorted(Version.objects.get_for_object(article).values_list("pk", flat=True))


@pytest.fixture
def newsroom(django_user_model):
    """An editor, a reporter, and everything their admin pages show."""
    users = {}
    for role in (EDITOR, REPORTER):
        user = django_user_model.objects.create_user(f"{role.lower()}-user", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    section, author = make_section("Політика"), make_author("Ірина Коваль")
    own = make_draft(
        "Чернетка репортера", tags=["Оборона"], authors=[author], created_by=users[REPORTER]
    )
    versions = two_versions(own)
    EditorialComment.objects.create(article=own, author=users[EDITOR], field="lead", text="Лід.")
    published = make_article("Опублікована новина", section=section, tags=["Франція"])
    gone = make_article("Видалена новина")
    with reversion.create_revision():
        gone.save()
    gone.delete()
    return {
        "users": users,
        "own": own,
        "versions": versions,
        "published": published,
        "section": section,
        "author": author,
        "tag": Tag.objects.get(name="Франція"),
        "deleted_version": Version.objects.get_deleted(Article).first().pk,
    }


def admin_pages(role, newsroom):
    """Every page of the admin the role can reach, by address."""
    own, versions = newsroom["own"], newsroom["versions"]
    pages = [
        reverse("admin:index"),
        reverse("admin:password_change"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_changelist") + "?state=draft&q=нема",
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[own.pk]),
        reverse("admin:articles_article_history", args=[own.pk]),
        reverse("admin:articles_article_compare", args=[own.pk])
        + f"?version_id1={versions[0]}&version_id2={versions[1]}",
        reverse("admin:articles_article_revision", args=[own.pk, versions[0]]),
    ]
    for model, obj in (("section", "section"), ("author", "author"), ("tag", "tag")):
        pages += [
            reverse(f"admin:articles_{model}_changelist"),
            reverse(f"admin:articles_{model}_change", args=[newsroom[obj].pk]),
        ]
    if role == EDITOR:
        published = newsroom["published"]
        pages += [
            reverse("admin:articles_article_change", args=[published.pk]),
            reverse("admin:articles_article_delete", args=[published.pk]),
            reverse("admin:articles_article_recoverlist"),
            reverse("admin:articles_article_recover", args=[newsroom["deleted_version"]]),
        ]
        for model, obj in (("section", "section"), ("author", "author"), ("tag", "tag")):
            pages += [
                reverse(f"admin:articles_{model}_add"),
                reverse(f"admin:articles_{model}_history", args=[newsroom[obj].pk]),
                reverse(f"admin:articles_{model}_delete", args=[newsroom[obj].pk]),
            ]
    return pages


@pytest.mark.parametrize("role", [EDITOR, REPORTER])
def test_every_admin_page_speaks_ukrainian(role, newsroom):
    client = Client()
    client.force_login(newsroom["users"][role])
    names = {user.username for user in newsroom["users"].values()}
    found = {}
    for address in admin_pages(role, newsroom):
        response = client.get(address)
        assert response.status_code == 200, address
        latin, nominative = problems(response.content, names)
        if latin or nominative:
            found[address] = (latin, nominative)
    assert found == {}


def test_the_tag_merge_page_speaks_ukrainian(editor_client, editor):
    make_article("Перша", tags=["ЗСУ", "Збройні сили"])
    data = {"action": "merge", "_selected_action": list(Tag.objects.values_list("pk", flat=True))}
    response = editor_client.post(reverse("admin:articles_tag_changelist"), data)
    assert problems(response.content, {editor.username}) == ([], [])


def test_the_walker_finds_english_and_the_nominative():
    page = "<p>Додати стаття</p><button title='Bold'>B</button><p>https://example.com/x</p>"
    assert problems(page, set()) == (["Bold"], ["Додати стаття"])


def test_the_history_names_a_correction_in_ukrainian(editor_client):
    from tests.forms import change_url, form_data

    story = make_article("Новина з виправленням", tags=["Оборона"])
    data = form_data(editor_client.get(change_url(story)))
    data.update(
        {
            "notes-TOTAL_FORMS": "1",
            "notes-0-kind": "correction",
            "notes-0-text": "Уточнено дату зустрічі.",
            "notes-0-noted_at_0": "26.11.2026",
            "notes-0-noted_at_1": "10:00:00",
        }
    )
    assert editor_client.post(change_url(story), data).status_code == 302
    history = editor_client.get(reverse("admin:articles_article_history", args=[story.pk]))
    text = visible_text(history.content)
    assert "Виправлення: Уточнено дату зустрічі." in text
    assert "Correction" not in text


def test_a_superusers_own_pages_name_their_models_in_the_right_case(admin_client, admin_user):
    pages = [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_add"),
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:axes_accesslog_changelist"),
    ]
    found = {}
    for address in pages:
        latin, nominative = problems(admin_client.get(address).content, {admin_user.username})
        if nominative:
            found[address] = nominative
    assert found == {}
    titles = [
        BeautifulSoup(admin_client.get(a).content, "html.parser").h1.get_text() for a in pages
    ]
    assert titles[:4] == [
        "Виберіть користувача, щоб змінити",
        "Додати користувача",
        "Виберіть групу, щоб змінити",
        "Додати групу",
    ]
