"""Japanese postal codes (郵便番号).

Seven digits, written NNN-NNNN (日本郵便). The hyphenated form is reported anywhere; the bare
7-digit form only with 〒 or a postal word near it (seven digits alone are too common). 000 is
not a valid first group.
"""

from __future__ import annotations

import polars as pl

from rouei.scanning.detectors._common import digits_of, nfkc

CATEGORY = "postal_code"
CHECKSUM = None
COLUMN_PATTERN = r"^〒? ?[0-9]{3}[- ]?[0-9]{4}$"  # 100-0001, 1000001, 100 0001
# Not part of a longer digit-hyphen run such as 03-123-4567 or 123-4567-8901.
TEXT_PATTERN = r"(?<![0-9])(?<![0-9]-)(?:[0-9]{3}-[0-9]{4}|[0-9]{7})(?![0-9])(?!-[0-9])"
# What every match contains, its bounds too (Detector.gates; Rust regex: no look-around).
TEXT_GATE = (r"(?:^|[^0-9-]|(?:^|[^0-9])-)(?:[0-9]{3}-[0-9]{4}|[0-9]{7})"
             r"(?:$|[^0-9-]|-(?:[^0-9]|$))")
CONTEXT_WORDS = ("〒", "郵便番号", "郵便", "ZIP", "postal", "postcode", "住所", "所在地")
REQUIRES_CONTEXT = False
# Codes beginning with 0 (Hokkaido and northern Tohoku: 001–099) lose their leading zeros in a
# spreadsheet that takes them for numbers (0600001 → 600001, 0010001 → 10001); in a column
# whose header names postal codes they get them back.
_LOST_LEADING_ZEROS = r"^[1-9][0-9]{4,5}$"


def needs_context(value: str) -> bool:
    """Only the bare 7-digit form needs 〒 or a postal word."""
    return "-" not in nfkc(value)


def validate(value: str) -> bool:
    digits = digits_of(value)
    return len(digits) == 7 and digits[:3] != "000"


def normalise_value(value: str) -> str:
    digits = digits_of(value)
    return f"{digits[:3]}-{digits[3:]}"


def restore_spreadsheet_value(cells: pl.Series) -> pl.Series:
    """A postal-code column's cells with the leading zeros a spreadsheet dropped (null: nothing
    to do)."""
    return pl.select(pl.when(pl.lit(cells).str.contains(_LOST_LEADING_ZEROS))
                     .then(pl.lit(cells).str.zfill(7))).to_series()
