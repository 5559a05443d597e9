"""Reads for the signal pages and the API: the warning, suggested similar signals, masking.

The rules themselves are in ``similarity.py`` (pure); this module feeds it the signals from the
database and applies the settings:

- ``ROUEI_SIGNAL_WARNING_THRESHOLD`` (default 3): this many similar or linked signals not yet
  tied to an incident raise the warning;
- ``ROUEI_SIGNAL_SIMILARITY_DAYS`` (default 90): how far apart similar signals may be received.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from rouei.intake import similarity
from rouei.intake.choices import OPEN_STATUSES
from rouei.intake.models import Signal
from rouei.scanning.masking import mask

ENCRYPTED = ("suspicion_reason", "origin_reason", "complainant_name", "complainant_contact",
             "notes")
MAX_COMPARED = 2000  # open signals compared for the warning (newest first)


def threshold() -> int:
    return max(2, int(getattr(settings, "ROUEI_SIGNAL_WARNING_THRESHOLD", 3)))


def window() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "ROUEI_SIGNAL_SIMILARITY_DAYS", 90)))


def facts_of(signal: Signal) -> similarity.SignalFacts:
    """The sender is decrypted here (it is encrypted at rest): one no key opens is no sender,
    never a sender that every other unreadable one shares."""
    sender = "" if unreadable(signal.sender_name) else signal.sender_name
    return similarity.SignalFacts(key=signal.pk, received_at=signal.received_at,
                                  sender=sender, items=frozenset(signal.items or ()),
                                  group=signal.group_id)


def open_signals():
    """Signals not tied to an incident and not dismissed (no personal data decrypted)."""
    return (Signal.objects.filter(incident__isnull=True, status__in=OPEN_STATUSES)
            .defer(*ENCRYPTED))


@dataclass
class SignalWarning:
    """Several similar or linked open signals: a leak may be behind them."""

    signals: list[Signal]

    @property
    def count(self) -> int:
        return len(self.signals)

    @property
    def ids(self) -> list[int]:
        return [s.pk for s in self.signals]


def warnings() -> list[SignalWarning]:
    """Every cluster of at least ``threshold()`` similar or linked open signals."""
    rows = list(open_signals().order_by("-received_at", "-pk")[:MAX_COMPARED])
    by_pk = {s.pk: s for s in rows}
    found = []
    for keys in similarity.clusters([facts_of(s) for s in rows], window()):
        if len(keys) < threshold():
            break  # clusters come largest first
        found.append(SignalWarning(sorted((by_pk[k] for k in keys),
                                    key=lambda s: (s.received_at, s.pk))))
    return found


def warning_for(signal: Signal, all_warnings: list[SignalWarning] | None = None) -> SignalWarning | None:
    for warning in warnings() if all_warnings is None else all_warnings:
        if signal.pk in warning.ids:
            return warning
    return None


@dataclass
class Suggestion:
    signal: Signal
    same_sender: bool
    shared_items: list[str]


def suggestions(signal: Signal, limit: int = 10) -> list[Suggestion]:
    """Signals similar to ``signal`` that are not linked to it yet (any status: one already in
    an incident suggests joining that incident)."""
    span = window()
    candidates = (Signal.objects.defer(*ENCRYPTED).exclude(pk=signal.pk)
                  .filter(received_at__gte=signal.received_at - span,
                          received_at__lte=signal.received_at + span)
                  .select_related("incident").order_by("-received_at", "-pk"))
    if signal.group_id is not None:
        candidates = candidates.exclude(group_id=signal.group_id)
    mine = facts_of(signal)
    out = []
    for other in candidates[:MAX_COMPARED]:
        found = similarity.compare(mine, facts_of(other), span)
        if found.similar:
            out.append(Suggestion(other, found.same_sender,
                                  [i for i in signal.items if i in found.shared_items]))
            if len(out) >= limit:
                break
    return out


def unreadable(value) -> bool:
    return getattr(value, "failed", False)  # rouei.core.crypto.Undecryptable


def shown(value: str) -> str:
    """An encrypted field's value as shown in full (or the message that it cannot be read)."""
    return str(_("(cannot be decrypted: check ROUEI_DATA_KEYS)")) if unreadable(value) else value


def masked_name(value: str) -> str:
    if not value or unreadable(value):
        return shown(value)
    return mask("person_name", value)


def masked_contact(value: str) -> str:
    if not value or unreadable(value):
        return shown(value)
    return mask("email" if "@" in value else "phone", value)


def masked_text(value: str) -> str:
    """Free text is not shown in part: only that there is some."""
    if not value or unreadable(value):
        return shown(value)
    return "＊＊＊＊＊＊"


def personal_data(signal: Signal, *, revealed: bool) -> dict[str, str]:
    """The encrypted fields as a page or the API shows them: masked unless ``revealed``."""
    if revealed:
        return {name: shown(getattr(signal, name)) for name in ENCRYPTED}
    return {
        "complainant_name": masked_name(signal.complainant_name),
        "complainant_contact": masked_contact(signal.complainant_contact),
        **{name: masked_text(getattr(signal, name))
           for name in ("suspicion_reason", "origin_reason", "notes")},
    }
