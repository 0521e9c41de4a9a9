"""The interface is Polish first: every string has a Polish translation, compiled."""

import gettext
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "pl" / "LC_MESSAGES"


def test_every_string_has_a_polish_translation():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    with open(CATALOGUE / "django.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)
    for entry in po.translated_entries():
        if not entry.msgid_plural and not entry.msgctxt:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid
