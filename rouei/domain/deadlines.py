"""Deadline arithmetic for reports to the PPC (JST calendar days).

- The day the company knew is day 1 (GL 3-5-3-3: その時点を1日目とする), so day N is knew + N − 1.
- A last day that falls on a day the government is closed moves to the next open day
  (行政機関の休日に関する法律 Art. 2; GL 3-5-3-4): Saturdays, Sundays, national holidays
  (国民の祝日に関する法律, including substitute and citizens' holidays) and 29 Dec – 3 Jan.
- Holidays come from the maintained ``holidays`` package (its Japan calendar), not a typed list.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

PRELIMINARY_GUIDE_DAYS = (3, 5)  # 速報: "about 3–5 days" (GL 3-5-3-3); a guide, calendar days
FINAL_REPORT_DAYS = 30  # 確報: PPC Rules Art. 8(2)
FINAL_REPORT_DAYS_MALICIOUS = 60  # 確報 when trigger 3 (不正の目的) applies: Rules Art. 8(2)


@lru_cache(maxsize=64)
def _japan_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("JP", years=year, language="ja")


def is_year_end_closure(day: dt.date) -> bool:
    """29 Dec – 3 Jan (行政機関の休日に関する法律 Art. 1(1)(iii))."""
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def is_government_holiday(day: dt.date) -> bool:
    return day.weekday() >= 5 or is_year_end_closure(day) or day in _japan_holidays(day.year)


def holiday_name(day: dt.date) -> str | None:
    """The reason a day is closed, in Japanese, or None for a working day."""
    if day in _japan_holidays(day.year):
        return _japan_holidays(day.year).get(day)
    if is_year_end_closure(day):
        return "年末年始の休日"
    if day.weekday() == 5:
        return "土曜日"
    if day.weekday() == 6:
        return "日曜日"
    return None


def next_open_day(day: dt.date) -> dt.date:
    while is_government_holiday(day):
        day += dt.timedelta(days=1)
    return day


def nth_day(knew: dt.date, n: int) -> dt.date:
    """Calendar day n when ``knew`` is day 1."""
    return knew + dt.timedelta(days=n - 1)


def due_date(knew: dt.date, days: int) -> dt.date:
    """The last day to file: day ``days`` counted from ``knew`` as day 1, moved past closures."""
    return next_open_day(nth_day(knew, days))


def preliminary_window(knew: dt.date) -> tuple[dt.date, dt.date]:
    """PPC's guide for the 速報: about day 3 to day 5, counting the day of knowing as day 1.

    The guideline does not say calendar or working days, nor how to count; rouei counts like the
    確報 (knew = day 1) and does not move the window for holidays, since it is a guide.
    """
    first, last = PRELIMINARY_GUIDE_DAYS
    return nth_day(knew, first), nth_day(knew, last)
