"""An article as search reads it: three streams of words (title: headline,
tags and authors; lead; body), each word the set of its terms."""

import html
import re

from articles.html import plain_body

from .terms import terms, visible, words

FIELDS = ("title", "lead", "body")
# Between a headline and a tag, or two tags: no phrase reaches across.
BREAK = None
# Inline markup sits inside words ("пере<b>гово</b>ри"); any other tag parts them.
INLINE = re.compile(r"</?(?:a|abbr|b|em|i|mark|s|small|span|strong|sub|sup|u)\b[^>]*>", re.I)
TAG = re.compile(r"<[^>]*>")


def plain_text(body):
    """A body's text: inline markup gone, every other tag a space, so that
    paragraphs do not run together."""
    text = TAG.sub(" ", INLINE.sub("", plain_body(body)))
    return visible(html.unescape(text))


def stream(*pieces):
    found = []
    for piece in pieces:
        if found:
            found.append(BREAK)
        found.extend(terms(word) for _, _, word in words(visible(piece)))
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
    text = visible(text)
    return {word for _, _, word in words(text) if word.isalpha() and len(word) >= 3}
