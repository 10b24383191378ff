"""A form's fields as a browser would submit them unchanged (BeautifulSoup
only, so that bench/load.py can use it outside Django too)."""

from bs4 import BeautifulSoup


def fields_of(html, form_id):
    form = BeautifulSoup(html, "html.parser").find("form", id=form_id)
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
