"""Every user-facing string has a Ukrainian translation, and the compiled
catalogue (.mo) says the same as the one editors of the text read (.po)."""

import ast
import json
import re
from pathlib import Path

from django.utils import translation

PO_FILE = Path(__file__).resolve().parent.parent / "locale/uk/LC_MESSAGES/django.po"
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.MULTILINE)


def unquote(lines):
    """A .po string, possibly split over several quoted lines, as text."""
    return "".join(ast.literal_eval(line) for line in lines.split("\n") if line)


def po_entries():
    text = PO_FILE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text, "fuzzy entries are not used by Django; review them"
    for msgid, msgstr in ENTRY.findall(text):
        if unquote(msgid):
            yield unquote(msgid), unquote(msgstr)


def test_every_message_is_translated():
    untranslated = [msgid for msgid, msgstr in po_entries() if not msgstr]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file():
    with translation.override("uk"):
        stale = [msgid for msgid, msgstr in po_entries() if translation.gettext(msgid) != msgstr]
    assert stale == [], "run `make messages` and commit the .mo file"


def test_the_editor_dialogs_speak_ukrainian(admin_client):
    catalog = admin_client.get("/admin/jsi18n/").content.decode()
    # The catalogue is JSON inside JavaScript, with non-ASCII letters escaped.
    expected = json.dumps({"Edit Link": "Редагувати посилання"})[1:-1]
    assert expected in catalog
