"""The active language as the domain's bilingual ``Text`` takes it."""

from __future__ import annotations

import pytest
from django.utils import translation

from rouei.ui.lang import current_lang


@pytest.mark.parametrize(("active", "lang"), [("ja", "ja"), ("en", "en"), ("en-gb", "en")])
def test_current_lang_active_language_maps_to_ja_or_en(active, lang):
    with translation.override(active):
        assert current_lang() == lang


def test_current_lang_no_active_language_is_japanese():
    with translation.override(None):
        assert current_lang() == "ja"
