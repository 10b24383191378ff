"""Every user-facing string has a Ukrainian translation, and the compiled
catalogue (.mo) says the same as the one editors of the text read (.po)."""

import ast
import json
import re
from pathlib import Path

import pytest
from django.utils import translation

PROJECT = Path(__file__).resolve().parent.parent
PO_FILE = PROJECT / "locale/uk/LC_MESSAGES/django.po"
ALL_PO_FILES = sorted(PROJECT.glob("locale*/uk/LC_MESSAGES/*.po"))
ENTRY = re.compile(r'^(?:msgctxt (".*")\n)?msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.MULTILINE)
# A string may continue on further quoted lines.
STRING = r'((?:".*"\n?)+)'
PLURAL_ENTRY = re.compile(
    rf"^msgid {STRING}msgid_plural {STRING}((?:msgstr\[\d\] (?:\".*\"\n?)+)+)", re.MULTILINE
)


def unquote(lines):
    """A .po string, possibly split over several quoted lines, as text."""
    return "".join(ast.literal_eval(line) for line in lines.split("\n") if line)


def po_entries(po_file=PO_FILE):
    text = po_file.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text, "fuzzy entries are not used by Django; review them"
    for context, msgid, msgstr in ENTRY.findall(text):
        if unquote(msgid):
            yield unquote(context), unquote(msgid), unquote(msgstr)


@pytest.mark.parametrize("po_file", ALL_PO_FILES, ids=lambda path: str(path.relative_to(PROJECT)))
def test_every_message_is_translated(po_file):
    untranslated = [msgid for _context, msgid, msgstr in po_entries(po_file) if not msgstr]
    assert untranslated == []


def plural_entries():
    for msgid, plural, forms in PLURAL_ENTRY.findall(PO_FILE.read_text(encoding="utf-8")):
        forms = re.findall(rf"^msgstr\[\d\] {STRING}", forms, re.MULTILINE)
        yield unquote(msgid), unquote(plural), forms


def test_every_plural_message_has_all_four_ukrainian_forms():
    entries = list(plural_entries())
    assert entries, "the catalogue has plural messages"
    for msgid, _plural, forms in entries:
        assert len(forms) == 4 and all(unquote(form) for form in forms), msgid


def test_plural_forms_agree_with_the_number():
    with translation.override("uk"):
        say = "%(count)d article published."
        plural = "%(count)d articles published."
        shown = {n: translation.ngettext(say, plural, n) % {"count": n} for n in (1, 3, 5, 21)}
    assert shown == {
        1: "1 статтю опубліковано.",
        3: "3 статті опубліковано.",
        5: "5 статей опубліковано.",
        21: "21 статтю опубліковано.",
    }


def test_compiled_catalogue_matches_the_po_file():
    with translation.override("uk"):
        stale = [
            msgid
            for context, msgid, msgstr in po_entries()
            if (translation.pgettext(context, msgid) if context else translation.gettext(msgid))
            != msgstr
        ]
    assert stale == [], "run `make messages` and commit the .mo file"


def test_the_editor_dialogs_speak_ukrainian(admin_client):
    catalog = admin_client.get("/admin/jsi18n/").content.decode()
    # The catalogue is JSON inside JavaScript, with non-ASCII letters escaped.
    expected = json.dumps({"Edit Link": "Редагувати посилання"})[1:-1]
    assert expected in catalog
