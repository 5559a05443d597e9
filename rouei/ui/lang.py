"""The language a page is being rendered in, as the domain's ``Text`` takes it."""

from __future__ import annotations

from django.utils.translation import get_language


def current_lang() -> str:
    """``"ja"`` or ``"en"`` for the active Django language (Japanese when none is active)."""
    return "ja" if (get_language() or "ja").startswith("ja") else "en"
