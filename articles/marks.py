"""Marks other apps put on a story wherever it is listed ("Терміново"): in
cards, the sidebar and feeds; and what they add under a story leading a
page (a live page's latest updates). articles knows nothing of what they
mean."""

# Functions taking an article and answering the marks it carries now, each a
# (css_name, text) pair.
MARKERS = []


def marks_of(article):
    return [mark for marker in MARKERS for mark in marker(article)]


# Functions taking an article and answering HTML to show under it where it
# leads a page, or "".
LEAD_EXTRAS = []


def lead_extras_of(article):
    return [html for extra in LEAD_EXTRAS if (html := extra(article))]
