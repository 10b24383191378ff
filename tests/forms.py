"""Admin forms as a browser submits them."""

from django.urls import reverse

from tests.factories import make_section
from tests.form_fields import fields_of


def form_data(response, form_id="article_form"):
    """The fields of an admin form as a browser would submit them unchanged."""
    return fields_of(response.content, form_id)


def new_article_form(client, **fields):
    """The add form as an editor fills it: a draft with the fields it needs,
    changed by `fields`."""
    data = form_data(client.get(reverse("admin:articles_article_add")))
    data.update(headline="Новина", lead="Лід.", body="<p>Текст.</p>", section=make_section().pk)
    data.update(fields)
    return data


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def edit(client, article, **changes):
    """Open the article's change form, change `changes`, save it (it must save)."""
    data = form_data(client.get(change_url(article)))
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    return article
