"""An article as search reads it: three streams of words (title: headline,
tags and authors; lead; body), each word the set of its terms."""

import html
import re

from articles.html import plain_body

from .terms import terms, words

FIELDS = ("title", "lead", "body")
# Between a headline and a tag, or two tags: no phrase reaches across.
BREAK = None
TAG = re.compile(r"<[^>]*>")


def plain_text(body):
    """A body's text: every tag a space, so paragraphs do not run together."""
    return html.unescape(TAG.sub(" ", plain_body(body)))


def stream(*pieces):
    found = []
    for piece in pieces:
        if found:
            found.append(BREAK)
        found.extend(terms(word) for _, _, word in words(piece))
    return found


def streams(article, tag_names, author_names):
    return {
        "title": stream(article.headline, *tag_names, *author_names),
        "lead": stream(article.lead),
        "body": stream(plain_text(article.body)),
    }


def surface_words(article, tag_names, author_names):
    """The words as written (folded), for suggestions."""
    text = " ".join([article.headline, article.lead, plain_text(article.body), *tag_names])
    return {word for _, _, word in words(text) if word.isalpha() and len(word) >= 3}
