"""Numbers as Japanese readers expect them: 78,000円, 9億3,600万円; ¥78,000 in English."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

from rouei.ui.citations import plain_citation
from rouei.ui.lang import current_lang

register = template.Library()


def yen_text(amount: int | None, lang: str = "ja") -> str:
    if amount is None:
        return "—"
    if lang != "ja":
        return f"¥{amount:,}"
    if abs(amount) < 1_000_000:
        return f"{amount:,}円"
    sign = "-" if amount < 0 else ""
    oku, rest = divmod(abs(amount), 100_000_000)
    man, yen = divmod(rest, 10_000)
    parts = [f"{oku:,}億" if oku else "", f"{man:,}万" if man else "", f"{yen:,}" if yen else ""]
    return f"{sign}{''.join(parts)}円"


@register.filter
def yen(amount):
    return yen_text(amount, current_lang())


@register.filter
def count(value):
    """12,000 — a whole number with separators, or — when unknown."""
    return "—" if value is None else f"{value:,}"


@register.filter
def people(value):
    """12,000人 / 12,000 people."""
    if value is None:
        return "—"
    return f"{value:,}人" if current_lang() == "ja" else f"{value:,} people"


@register.filter
def citation(raw):
    """A domain citation as a reader sees it (rouei.ui.citations): plain words and links to
    the official texts; nothing when only provenance was left."""
    lang = current_lang()
    cited = plain_citation(raw, lang)
    if not cited.text:
        return ""
    links = format_html_join(
        "、" if lang == "ja" else ", ", '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', (
            (url, label) for label, url in cited.links))
    return format_html('<span class="cite">{}{}</span>', cited.text,
                       format_html("（{}）" if lang == "ja" else " ({})", links)
                       if cited.links else "")
