"""Dates as Japanese documents write them: 2026年12月23日（水） and 和暦 (令和8年12月23日)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from japanera import EraDate

WEEKDAYS_JA = "月火水木金土日"


@lru_cache(maxsize=4096)  # japanera's era look-up takes most of a millisecond per date
def wareki(day: dt.date) -> str:
    """令和8年12月23日 (the first year of an era is 元年)."""
    era = EraDate.from_date(day)
    year = era.strftime("%-Y")
    return f"{era.strftime('%-K')}{'元' if year == '1' else year}年{day.month}月{day.day}日"


def format_date(day: dt.date | None, lang: str = "ja") -> str:
    """2026年12月23日（水） in Japanese; Wed 23 Dec 2026 in English."""
    if day is None:
        return "—"
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS_JA[day.weekday()]}）"
    return day.strftime("%a %d %b %Y").replace(" 0", " ")


def format_date_with_wareki(day: dt.date | None, lang: str = "ja") -> str:
    if day is None:
        return "—"
    if lang == "ja":
        return f"{format_date(day, lang)}［{wareki(day)}］"
    return format_date(day, lang)
