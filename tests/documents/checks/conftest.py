"""Hand-made inputs for the check rules: no database."""

from __future__ import annotations

import datetime as dt

from rouei.documents.checks import CheckInput

TODAY = dt.date(2026, 12, 6)
JST = dt.timezone(dt.timedelta(hours=9))


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=JST)


def make(**kwargs) -> CheckInput:
    """Knew on day 1 = ``TODAY`` unless told; everything else empty."""
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("knew_on", TODAY)
    return CheckInput(**kwargs)


def codes(findings) -> list[str]:
    return [f.code for f in findings]
