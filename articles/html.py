"""The body's rich text: what the editor offers, and what the sanitiser lets through."""

import nh3
from django.db import models
from django_prose_editor.fields import ProseEditorFormField

ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# The editor's buttons. Every tag they produce must be in ALLOWED_TAGS below
# (a test checks it), or the sanitiser would strip an editor's formatting.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(ALLOWED_URL_SCHEMES)},
    "History": True,
    "Menu": True,
}

# The allow-list. Anything else (script, style, iframe, event handlers,
# javascript: and data: URLs) is removed; the text inside stays.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "cite", "q", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start", "type", "data-type"}}
LINK_REL = "noopener"


def sanitize_html(html):
    """Keep the allowed markup and all text; links get rel="noopener"."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
    )


class SanitizedHTMLField(models.TextField):
    """Rich text, edited with a real editor, sanitised on its way to the database.

    Sanitising here rather than only in a form covers every path that writes:
    the admin, the shell, loaddata's raw saves, bulk_create and update().
    """

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        if isinstance(value, str):
            value = sanitize_html(value)
        return super().get_db_prep_save(value, connection)

    def formfield(self, **kwargs):
        return super().formfield(
            form_class=ProseEditorFormField,
            config={"extensions": EDITOR_EXTENSIONS},
            preset="configurable",
            sanitize=sanitize_html,
            **kwargs,
        )
