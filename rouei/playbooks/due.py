"""A task's due date from its rule and the incident's deadlines: pure Python, no Django.

A rule counts from one deadline of the assessment: the day the company knew (知った日), the
start or end of the PPC's 3–5 day guide for the preliminary report (速報), or the final-report
(確報) due date, plus an offset in calendar days (negative: before it). A rule whose deadline is
not known (no 速報 window while the case is not reportable, no known day of knowing) gives no
date. Task dates are working targets, so they are not moved past government holidays (only the
確報 due date itself is, by the domain).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rouei.domain.assessment import Assessment

RULES = ("knew", "preliminary_first", "preliminary_last", "final_report_due", "none")
MAX_OFFSET_DAYS = 366


@dataclass(frozen=True)
class Deadlines:
    """The deadlines of one assessment (``None``: not known or not applicable)."""

    knew: dt.date | None = None
    preliminary_first: dt.date | None = None
    preliminary_last: dt.date | None = None
    final_report_due: dt.date | None = None

    @classmethod
    def from_assessment(cls, assessment: Assessment | None) -> Deadlines:
        """From a (stored) assessment; none: no deadlines known."""
        if assessment is None:
            return cls()
        window = assessment.preliminary_report_window or (None, None)
        return cls(knew=assessment.facts.knew_date, preliminary_first=window[0],
                   preliminary_last=window[1], final_report_due=assessment.final_report_due)


def due_date(rule: str, offset_days: int, deadlines: Deadlines) -> dt.date | None:
    """The day ``offset_days`` after the deadline ``rule`` names; ``None`` without one."""
    if rule not in RULES:
        raise ValueError(f"unknown due rule: {rule!r}")
    if rule == "none":
        return None
    base = getattr(deadlines, rule)
    if base is None:
        return None
    return base + dt.timedelta(days=offset_days)
