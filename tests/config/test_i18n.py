"""The Japanese translations — the shared catalogue and each app's own: complete, and every
committed .mo matches its .po (nobody forgot to compile)."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest

import rouei

ROOT = Path(rouei.__file__).parent
CATALOGUES = sorted([ROOT / "locale" / "ja" / "LC_MESSAGES",
                     *ROOT.glob("*/locale/ja/LC_MESSAGES")])


def test_every_app_catalogue_is_checked():
    assert {p.relative_to(ROOT).parts[0] for p in CATALOGUES} >= {
        "locale", "accounts", "api", "documents", "estimates", "evidence", "people", "playbooks", "scans", "intake"}


@pytest.mark.parametrize("locale", CATALOGUES, ids=lambda p: p.relative_to(ROOT).parts[0])
def test_japanese_po_has_no_untranslated_or_fuzzy_entries(locale):
    po = polib.pofile(str(locale / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


@pytest.mark.parametrize("locale", CATALOGUES, ids=lambda p: p.relative_to(ROOT).parts[0])
def test_japanese_mo_matches_po(locale):
    po = polib.pofile(str(locale / "django.po"))
    with open(locale / "django.mo", "rb") as fh:
        mo = gettext.GNUTranslations(fh)
    for entry in po.translated_entries():
        if entry.msgid_plural and entry.msgctxt:
            assert mo.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural,
                                2) == entry.msgstr_plural[0]
        elif entry.msgid_plural:
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert mo.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr, entry.msgid


@pytest.mark.parametrize("locale", CATALOGUES, ids=lambda p: p.relative_to(ROOT).parts[0])
def test_gettext_tools_accept_the_catalogue(locale, tmp_path):
    """What `django-admin compilemessages` (GNU msgfmt) would refuse: a format flag on a text
    that is no format, a stray previous-context comment."""
    import shutil
    import subprocess

    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    done = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"),
                           str(locale / "django.po")], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
