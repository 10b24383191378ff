"""Marks other apps put on a story wherever it is listed ("Терміново"): in
cards, the sidebar and feeds. articles knows nothing of what they mean."""

# Functions taking an article and answering the marks it carries now, each a
# (css_name, text) pair.
MARKERS = []


def marks_of(article):
    return [mark for marker in MARKERS for mark in marker(article)]
