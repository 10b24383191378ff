"""Admin forms as a browser submits them."""

from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import make_section


def form_data(response, form_id="article_form"):
    """The fields of an admin form as a browser would submit them unchanged."""
    form = BeautifulSoup(response.content, "html.parser").find("form", id=form_id)
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in {"submit", "file"}:
            continue
        if field.name == "textarea":
            # As in a browser: a newline right after <textarea> is not content.
            data[name] = field.get_text().removeprefix("\n")
        elif field.name == "select":
            selected = field.find("option", selected=True)
            data[name] = selected["value"] if selected else ""
        elif field.get("type") != "checkbox" or field.has_attr("checked"):
            data[name] = field.get("value", "")
    return data


def new_article_form(client, **fields):
    """The add form as an editor fills it: a draft with the fields it needs,
    changed by `fields`."""
    data = form_data(client.get(reverse("admin:articles_article_add")))
    data.update(headline="Новина", lead="Лід.", body="<p>Текст.</p>", section=make_section().pk)
    data.update(fields)
    return data
