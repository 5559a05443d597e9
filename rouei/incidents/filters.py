"""Searching and filtering the incident list (GET parameters): a text search in the title and
the responsible organisation, the status, and the next deadline (overdue, within N days, none).

Titles and organisation names are not personal data by convention (the create form asks for a
title without personal data), so the search text may travel in the URL; nothing else does.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rouei.incidents.choices import Status

OPEN = "open"  # every status but closed
OVERDUE, NO_DEADLINE = "overdue", "none"
WITHIN_DAYS = (3, 7, 30)


def fold(text: str) -> str:
    """Case and width folded for matching: ＡＢＣ, abc and ABC match, as do ｶﾀｶﾅ and カタカナ
    (NFKC), and the spaces a Japanese keyboard types (全角スペース) are ordinary spaces."""
    return unicodedata.normalize("NFKC", text).casefold()


def matches(query: str, texts: Iterable[str | None]) -> bool:
    """Every word of ``query`` occurs in one of ``texts`` (folded); an empty query matches all."""
    haystack = "\n".join(fold(t) for t in texts if t)
    return all(word in haystack for word in fold(query).split())


def _deadline_choices() -> list[tuple[str, str]]:
    """Built when a form is made, in the language of its request (a % on a lazy text would
    translate once, at import)."""
    return [("", gettext("Any")), (OVERDUE, gettext("Overdue only")),
            *[(str(n), gettext("Within %(days)s days (overdue included)") % {"days": n})
              for n in WITHIN_DAYS],
            (NO_DEADLINE, gettext("No deadline"))]


class IncidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("Title or organisation")}))
    status = forms.ChoiceField(label=_("Incident status"), required=False, choices=[
        ("", _("All")), (OPEN, _("Open (not closed)")), *Status.choices])
    deadline = forms.ChoiceField(label=_("Next deadline"), required=False,
                                 choices=_deadline_choices)

    def filter(self, rows: list) -> list:
        """The rows (incidents with ``next_deadline`` set) that pass the filters; an invalid
        value filters nothing (the form shows the error)."""
        if not self.is_valid():
            return rows
        query, status, deadline = (self.cleaned_data[k] for k in ("q", "status", "deadline"))
        return [row for row in rows
                if matches(query, (row.title, row.organisation))
                and _status_passes(row.status, status)
                and _deadline_passes(row.next_deadline, deadline)]

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


def _status_passes(status: str, wanted: str) -> bool:
    if not wanted:
        return True
    if wanted == OPEN:
        return status != Status.CLOSED
    return status == wanted


def _deadline_passes(next_deadline, wanted: str) -> bool:
    if not wanted:
        return True
    if wanted == NO_DEADLINE:
        return next_deadline is None
    if next_deadline is None:
        return False
    days_left = next_deadline.deadline.days_left
    if wanted == OVERDUE:
        return days_left < 0
    return days_left <= int(wanted)
