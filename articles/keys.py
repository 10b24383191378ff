"""Surrogate keys: one vocabulary for what a page shows and what a change
touches, so that a cache in front of the app servers (Varnish, with xkey)
purges exactly the pages an edit changed (delivery/ does the purging).

A page carries the key of every article it links to (Article's
get_absolute_url notes it: every page links a story that way), the key of
the list it is (a section's stories, a tag's, ...), and `site`, which
everything that appears on every page (the navigation, breaking news)
purges. A change to a published article
purges its own key and the lists it belongs to now; the lists it has left
still carry its key, so they go too.
"""

from contextvars import ContextVar

SITE = "site"
FRONT = "front"
# Every story, newest first: the "all news" pages, the site's feeds and
# sitemaps, search results.
LISTS = "lists"
# The "Останні новини" sidebar.
LATEST = "latest"

# The keys of the page being rendered (None outside a reader page).
page_keys = ContextVar("page_keys", default=None)


def article_key(pk):
    return f"a{pk}"


def section_key(pk):
    return f"s{pk}"


def tag_key(pk):
    return f"t{pk}"


def author_key(pk):
    return f"p{pk}"


# A page linking more stories than this (a sitemap) carries LISTS instead
# of their keys, which a change to any published story purges: a header
# must stay small.
MOST_ARTICLE_KEYS = 100


def page_shows(*keys):
    """Note that the page being rendered shows what `keys` name."""
    shown = page_keys.get()
    if shown is not None:
        shown.update(keys)


# What a change to an instance touches, by model: a function of the
# instance and whether it was just created, giving a set of keys. Apps add
# their own models (frontpage does).
TOUCHES = {}
# More of what a change to an article touches, from other apps: a function
# of the article giving a set of keys (frontpage: a story in the breaking
# news banner, which every page shows).
ARTICLE_TOUCHES = []


def touched(instance, created=False):
    touches = TOUCHES.get(type(instance))
    return touches(instance, created) if touches else set()


def article_touches(article, created=False):
    """An article's own key, and if readers have ever seen it, every list it
    is in now. A story never published yet is on no list (the scheduler
    purges them when it comes due: delivery/scheduler.py)."""
    keys = {article_key(article.pk)}
    if not article.never_public():
        keys |= {FRONT, LISTS, LATEST, section_key(article.section_id)}
        keys |= {tag_key(pk) for pk in article.tags.values_list("pk", flat=True)}
        keys |= {author_key(pk) for pk in article.bylines.values_list("author_id", flat=True)}
    for more in ARTICLE_TOUCHES:
        keys |= more(article)
    return keys


def part_of_article(instance, created=False):
    """A byline, tag or note changes its article's page and lists."""
    article = getattr(instance, "article", None) or getattr(instance, "content_object", None)
    return article_touches(article) if article is not None else set()


def shown_everywhere(instance, created=False):
    """Sections are named on every page (the navigation)."""
    return {SITE}


def shown_where_used(instance, created=False):
    """A tag's or author's name is on the pages of the stories it is on,
    which the keys do not track: a change purges every page (tags and
    authors are renamed rarely). A new one is on no page yet."""
    return set() if created else {SITE}


def articles_touches():
    from .models import Article, ArticleNote, Author, Byline, Section, Tag, TaggedArticle

    return {
        Article: article_touches,
        Byline: part_of_article,
        TaggedArticle: part_of_article,
        ArticleNote: part_of_article,
        Section: shown_everywhere,
        Tag: shown_where_used,
        Author: shown_where_used,
    }


def header_value(keys):
    """The keys as the xkey header carries them."""
    articles = {key for key in keys if key[0] == "a" and key[1:].isdigit()}
    if len(articles) > MOST_ARTICLE_KEYS:
        keys = (set(keys) - articles) | {LISTS}
    return " ".join(sorted(keys))
