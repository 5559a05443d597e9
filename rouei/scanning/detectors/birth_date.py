"""Dates of birth (生年月日).

Western dates (1985/04/01, 1985-4-1, 1985.4.1, 1985年4月1日, 19850401) and 和暦 (昭和60年4月1日,
S60.4.1, H1/1/8, 令和元年5月1日, R1.5.1; era ligatures such as ㍼ are already 昭和 after NFKC).
Valid only if the date exists in the calendar, is not in the future (JST), and, for 和暦, lies
within its era (元号法; 明治 from 1868-01-25 (Gregorian for 慶応4年1月1日, to which the era was
applied back), 大正 from 1912-07-30, 昭和 from 1926-12-25, 平成 from 1989-01-08, 令和 from
2019-05-01, each ending the day before the next). Dates are everywhere, so in free text this
detector REQUIRES a birth word (生年月日, 誕生日, DOB …) near the date.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from rouei.scanning.detectors._common import nfkc

CATEGORY = "birth_date"
CHECKSUM = None

_JST = dt.timezone(dt.timedelta(hours=9))
ERAS: dict[str, tuple[dt.date, dt.date]] = {
    "明治": (dt.date(1868, 1, 25), dt.date(1912, 7, 29)),
    "大正": (dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    "昭和": (dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    "平成": (dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    "令和": (dt.date(2019, 5, 1), dt.date.max),
}
ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}

_ERA = r"(?:明治|大正|昭和|平成|令和|[MTSHRmtshr]\.?)"
_TIME = r"(?:[ T]0?0:00(?::00)?)?"
COLUMN_PATTERN = (
    r"^(?:(?:1[89]|20)[0-9]{2}[/.-][0-9]{1,2}[/.-][0-9]{1,2}" + _TIME
    + r"|(?:1[89]|20)[0-9]{2} ?年 ?[0-9]{1,2} ?月 ?[0-9]{1,2} ?日"
    + r"|(?:1[89]|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    + r"|" + _ERA + r" ?(?:[0-9]{1,2}|元) ?[年/.-] ?[0-9]{1,2} ?[月/.-] ?[0-9]{1,2} ?日?)$")
TEXT_PATTERN = (
    r"(?<![0-9])(?:(?:1[89]|20)[0-9]{2}(?P<sep>[/.-])[0-9]{1,2}(?P=sep)[0-9]{1,2}"
    r"|(?:1[89]|20)[0-9]{2} ?年 ?[0-9]{1,2} ?月 ?[0-9]{1,2} ?日"
    r"|(?:1[89]|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))(?![0-9])"
    r"|(?:明治|大正|昭和|平成|令和) ?(?:[0-9]{1,2}|元) ?年 ?[0-9]{1,2} ?月 ?[0-9]{1,2} ?日"
    r"|(?:明治|大正|昭和|平成|令和|(?<![A-Za-z])[MTSHRmtshr]\.?) ?(?:[0-9]{1,2}|元)"
    r"(?P<esep>[/.-])[0-9]{1,2}(?P=esep)[0-9]{1,2}(?![0-9])")
TEXT_GATE = "[0-9]"  # what every match contains, 元年 too (Detector.gates)
CONTEXT_WORDS = ("生年月日", "誕生日", "生年", "生まれ", "歳", "才", "DOB", "birth", "birthday",
                 "born", "date of birth")
REQUIRES_CONTEXT = True

_WESTERN = re.compile(r"([0-9]{4})[年/.-]([0-9]{1,2})[月/.-]([0-9]{1,2})日?")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_JAPANESE = re.compile(r"(明治|大正|昭和|平成|令和|[MTSHRmtshr])\.?(元|[0-9]{1,2})[年/.-]"
                       r"([0-9]{1,2})[月/.-]([0-9]{1,2})日?")
_TIME_SUFFIX = re.compile(r"[ T]0?0:00(?::00)?$")


def parse(value: str) -> dt.date | None:
    """The calendar date ``value`` writes, if it is a real date (era ranges checked)."""
    v = _TIME_SUFFIX.sub("", nfkc(value).strip()).replace(" ", "")
    try:
        if m := _JAPANESE.fullmatch(v):
            era = ERA_LETTERS.get(m[1].upper(), m[1])
            first, last = ERAS[era]
            year = first.year + (1 if m[2] == "元" else int(m[2])) - 1
            day = dt.date(year, int(m[3]), int(m[4]))
            return day if first <= day <= last else None
        m = _WESTERN.fullmatch(v) or _COMPACT.fullmatch(v)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return None


def today() -> dt.date:
    """Today in Japan: no birth date is later."""
    return dt.datetime.now(_JST).date()


def validate(value: str) -> bool:
    day = parse(value)
    return day is not None and ERAS["明治"][0] <= day <= today()


def normalise_value(value: str) -> str:
    """ISO 8601 (1985-04-01), or the stripped text if it is not a date."""
    day = parse(value)
    return day.isoformat() if day else nfkc(value).strip()


# Excel's 1900 date system: serial 1 is 1900-01-01, and 60 the 1900-02-29 that never was, so
# from serial 61 on, day 0 is 1899-12-30 (earlier serials are not birth dates of the living).
_EXCEL_DAY_ZERO = dt.date(1899, 12, 30)


def restore_spreadsheet_value(cells: pl.Series) -> pl.Series:
    """A birth-date column's cells that are a spreadsheet's serial day numbers (31048: a date
    cell shown unformatted) as ISO dates, from 1900-03-01 (61) to today; null for the others."""
    today = (dt.datetime.now(_JST).date() - _EXCEL_DAY_ZERO).days
    serial = cells.str.extract("^([1-9][0-9]{1,4})$", 1).cast(pl.Int64)
    days = pl.when(pl.lit(serial).is_between(61, today)).then(pl.lit(serial))
    return pl.select((pl.lit(_EXCEL_DAY_ZERO) + pl.duration(days=days))
                     .dt.strftime("%Y-%m-%d")).to_series()
