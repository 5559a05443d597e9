"""The signals app's Japanese translation: complete, and the .mo matches the .po."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib

import rouei.signals

LOCALE = Path(rouei.signals.__file__).parent / "locale" / "ja" / "LC_MESSAGES"


def test_signals_po_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []


def test_signals_mo_matches_po():
    po = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr_plural[0]
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr, entry.msgid
