"""The body's rich text: what the editor offers, and what the sanitiser lets through."""

import re
from collections.abc import Callable
from dataclasses import dataclass

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
    "PullQuote": True,  # static/admin_newsroom/pull_quote.js
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
# Classes with a meaning of their own; any other class is removed.
ALLOWED_CLASSES = {"blockquote": {"pull-quote"}}
LINK_REL = "noopener"


# Real text never nests this deep; the sanitiser's time grows with the square
# of the depth (a megabyte of nested tags takes it 16 s), so deeper tags are
# dropped first, their text kept.
MAX_NESTING = 64
TAG = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)[^>]*>")
VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip


def limit_nesting(html):
    """Drop the tags that would open an element deeper than MAX_NESTING, and
    the unmatched end tags at that depth (those of the dropped ones). An end
    tag closes up to its element, as the HTML parser does."""
    open_tags, kept, start = [], [], 0
    for tag in TAG.finditer(html):
        closing, name = tag.group(1), tag.group(2).lower()
        if name in VOID_TAGS or tag.group(0).endswith("/>"):
            continue
        if closing and name in open_tags:
            while open_tags.pop() != name:
                pass
        elif len(open_tags) < MAX_NESTING:
            if not closing:
                open_tags.append(name)
        else:
            kept.append(html[start : tag.start()])
            start = tag.end()
    return "".join(kept) + html[start:] if kept else html


@dataclass(frozen=True)
class BodyBlock:
    """An element another app lets editors put in the body (an embedded post,
    a library photo): its editor extension and markup, and what becomes of it
    on the way in (check, tidy) and out (render for readers, plain for feeds)."""

    extension: str
    tags: frozenset
    attributes: dict
    check: Callable[[str], None]  # an editor's body, sanitised; raises ValidationError
    tidy: Callable[[str], str]  # the sanitised body; rebuilds the element
    render: Callable[[str], str]
    plain: Callable[[str], str]
    editor_options: Callable[[], dict]  # for the editor extension, per form (URLs)


BODY_BLOCKS = []


def register_body_block(block):
    """Called from an app's ready(): the editor offers the block, the
    sanitiser keeps its markup."""
    BODY_BLOCKS.append(block)
    EDITOR_EXTENSIONS[block.extension] = True


def allowed_markup():
    """The tags and attributes the body keeps: the editor's own and the blocks'."""
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    for block in BODY_BLOCKS:
        for tag, names in block.attributes.items():
            attributes.setdefault(tag, set()).update(names)
    return ALLOWED_TAGS.union(*(block.tags for block in BODY_BLOCKS)), attributes


def clean_with_nh3(html):
    tags, attributes = allowed_markup()
    return nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
    )


def sanitize_html(html, *, check=False):
    """Keep the allowed markup and all text; links get rel="noopener"; each
    block rebuilds its own elements from what it can vouch for. With `check`
    (an editor's form), an element it cannot vouch for is refused, saying
    why, rather than kept as its words."""
    clean = clean_with_nh3(limit_nesting(html))
    if check:
        # On the sanitiser's output, whose tags are closed and nested at most
        # MAX_NESTING deep: the blocks' patterns stay linear in its length.
        for block in BODY_BLOCKS:
            block.check(clean)
    tidy = clean
    for block in BODY_BLOCKS:
        tidy = block.tidy(tidy)
    # A block's rebuilt element is well-formed; the sanitiser tidies around it.
    return clean if tidy == clean else clean_with_nh3(tidy)


def checked_body(html):
    return sanitize_html(html, check=True)


def render_body(html):
    """The body as readers get it on the page."""
    for block in BODY_BLOCKS:
        html = block.render(html)
    return html


def plain_body(html):
    """The body for feeds: blocks as plain links and text."""
    for block in BODY_BLOCKS:
        html = block.plain(html)
    return html


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
            config={
                "extensions": EDITOR_EXTENSIONS
                | {block.extension: block.editor_options() for block in BODY_BLOCKS}
            },
            preset="configurable",
            sanitize=checked_body,
            **kwargs,
        )
