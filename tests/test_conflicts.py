"""Two people on one article: the second save never silently overwrites the first."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from tests.factories import make_article, make_scheduled
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(django_user_model):
    from tests.conftest import member_of

    clients = []
    for name in ("olena", "taras"):
        user = member_of(django_user_model, "Editor")
        user.username = name
        user.save()
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def olena_saves_while_taras_edits(two_editors):
    """Both open the article; Olena saves a new headline; Taras saves a new lead."""
    olena, taras = two_editors
    article = make_article("Спільна стаття", tags=["ППО"])
    url = reverse("admin:articles_article_change", args=[article.pk])
    olenas_form, tarass_form = form_data(olena.get(url)), form_data(taras.get(url))
    olenas_form["headline"] = "Олена змінила заголовок"
    assert olena.post(url, olenas_form).status_code == 302
    tarass_form["lead"] = "Тарас переписав лід."
    return article, url, taras, taras.post(url, tarass_form)


def test_the_second_save_is_stopped_and_told_who_changed_what(two_editors):
    article, _url, _taras, response = olena_saves_while_taras_edits(two_editors)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    warning = page.select_one(".errornote + ul.errorlist, ul.errorlist.nonfield").get_text()
    assert "olena" in warning
    changed = warning.split("змінено:")[1].split(")")[0].strip()
    assert changed == "Заголовок", "names exactly the field Olena changed"
    article.refresh_from_db()
    assert article.headline == "Олена змінила заголовок", "the first save stands"
    assert article.lead != "Тарас переписав лід."
    # Nothing Taras typed is lost: it is still in the form.
    assert form_data(response)["lead"] == "Тарас переписав лід."


def test_saving_again_after_the_warning_keeps_the_second_version(two_editors):
    article, url, taras, warned = olena_saves_while_taras_edits(two_editors)

    assert taras.post(url, form_data(warned)).status_code == 302
    article.refresh_from_db()
    assert article.lead == "Тарас переписав лід."
    assert article.headline == "Олена змінила заголовок", "hers kept: Taras left it alone"


def test_where_both_changed_a_field_the_second_save_keeps_the_second_text(two_editors):
    olena, taras = two_editors
    article = make_article("Спільна стаття", tags=["ППО"])
    url = reverse("admin:articles_article_change", args=[article.pk])
    olenas_form, tarass_form = form_data(olena.get(url)), form_data(taras.get(url))
    olenas_form.update(headline="Заголовок Олени", lead="Лід Олени.")
    assert olena.post(url, olenas_form).status_code == 302
    tarass_form["headline"] = "Заголовок Тараса"
    warned = taras.post(url, tarass_form)
    assert form_data(warned)["headline"] == "Заголовок Тараса"
    assert taras.post(url, form_data(warned)).status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.lead) == ("Заголовок Тараса", "Лід Олени.")


def test_one_editor_saving_twice_is_no_conflict(two_editors):
    olena, _ = two_editors
    article = make_article("Стаття", tags=["ППО"])
    url = reverse("admin:articles_article_change", args=[article.pk])
    for headline in ("Перше виправлення", "Друге виправлення"):
        data = form_data(olena.get(url))
        data["headline"] = headline
        assert olena.post(url, data).status_code == 302


def test_a_new_time_and_new_tags_from_the_other_editor_survive_the_second_save(two_editors):
    olena, taras = two_editors
    article = make_scheduled("Запланована стаття", tags=["ППО"], after=timedelta(days=1))
    url = reverse("admin:articles_article_change", args=[article.pk])
    olenas_form, tarass_form = form_data(olena.get(url)), form_data(taras.get(url))
    olenas_form.update(published_at_1="06:30:00", tags="ППО, Франція", photo_focal_x="20")
    assert olena.post(url, olenas_form).status_code == 302
    article.refresh_from_db()
    hers = article.published_at
    tarass_form["lead"] = "Тарас переписав лід."
    warned = taras.post(url, tarass_form)
    warning = BeautifulSoup(warned.content, "html.parser").select_one("ul.errorlist").get_text()
    for field in ("Час публікації", "Теги", "Фокус"):
        assert field in warning, field
    assert "Лід" not in warning.split("змінено:")[1]
    assert taras.post(url, form_data(warned)).status_code == 302
    article.refresh_from_db()
    assert article.published_at == hers
    assert sorted(article.tags.names()) == ["ППО", "Франція"]
    assert article.photo_focal_x == 20
    assert article.lead == "Тарас переписав лід."
