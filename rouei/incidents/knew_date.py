"""The day the company knew (知った日) is one fact, written in two places: the facts' ``knew_at``
and the timeline's 「判明（知った日）」 entries (kind ``knew``). Every deadline counts from it,
the day itself as day 1 (APPI Art. 26(1); Rules Art. 8(1); GL 3-5-3-3), so the two must agree.

A 判明 entry whose day differs from the facts (or the facts do not know it yet) proposes its day
as the fact: a member with EDIT accepts it through ``do_update_facts`` (``actions.
do_accept_knew_date``), so the duty changes are announced as for any facts edit. When the facts
already know a different day, the pages show both: neither side ever overwrites the other
silently (issue 11, guard rail 2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rouei.core.fingerprints import Remembered, fingerprint
from rouei.domain.facts import JST
from rouei.domain.jdates import format_date
from rouei.incidents.choices import TimelineKind


@dataclass(frozen=True)
class KnewDateCheck:
    """The facts' day against the days of the timeline's 判明 entries (JST days)."""

    facts_day: dt.date | None
    entry_days: tuple[dt.date, ...]  # distinct, oldest first

    @property
    def proposals(self) -> tuple[dt.date, ...]:
        """The entries' days the facts do not say: each may be accepted as the fact."""
        return tuple(day for day in self.entry_days if day != self.facts_day)

    @property
    def contradiction(self) -> bool:
        """The facts know a day and a 判明 entry says another."""
        return self.facts_day is not None and bool(self.proposals)

    def describe(self, lang: str) -> dict:
        """The days as the pages write them: ``facts`` and ``proposals`` ([{iso, text}])."""
        return {"facts": format_date(self.facts_day, lang) if self.facts_day else None,
                "proposals": [{"iso": day.isoformat(), "text": format_date(day, lang)}
                              for day in self.proposals]}


def compare(facts_day: dt.date | None, entry_times: list[dt.datetime]) -> KnewDateCheck:
    """Compare by the day in Japan: knew_at is a day, a timeline entry a moment of that day."""
    days = sorted({moment.astimezone(JST).date() for moment in entry_times})
    return KnewDateCheck(facts_day, tuple(days))


# The 判明 entries' moments, per incident, kept until the timeline's fingerprint changes: the
# incident page asks on every view, and reads that fingerprint anyway (its timeline is kept).
_entry_times = Remembered()


def check(incident, *, request=None) -> KnewDateCheck:
    """The incident's latest facts against its 判明 entries (with ``request``: the entries
    read in an earlier view while the timeline has not changed)."""
    latest = incident.latest_facts()
    facts_day = latest.as_facts().knew_date if latest else None

    def entry_times() -> list:
        return list(incident.timeline.filter(kind=TimelineKind.KNEW).values_list("at", flat=True))

    if request is None:
        return compare(facts_day, entry_times())
    key = fingerprint(incident, "timeline", request=request)
    return compare(facts_day, _entry_times.get(incident.pk, key, entry_times))
