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
