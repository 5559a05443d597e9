"""My Number, the Individual Number (個人番号、マイナンバー).

12 digits, the last a check digit (行政手続における特定の個人を識別するための番号の利用等に関する法律
施行令 Art. 8; 総務省令「…通知カード及び個人番号カード…に関する省令」Art. 5): with Pn the n-th of the
first 11 digits counted from the right and Qn = n + 1 for n ≤ 6, n − 5 for n ≥ 7, the remainder
r = Σ Pn×Qn mod 11 gives the check digit 0 when r ≤ 1, else 11 − r. A 12-digit number whose last
digit disagrees is not a My Number. A number of one repeated digit is a placeholder and rejected.
Near order, slip, tracking or licence words (注文番号, 伝票番号, 免許 …) a number is dropped
unless a My Number word is also near.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from rouei.scanning.detectors._common import (
    NOT_PERSONAL_NUMBER_WORDS,
    digit_matrix,
    digits_of,
    one_repeated_digit,
    with_leading_zero,
)

CATEGORY = "my_number"
CHECKSUM = "check digit, My Number Act Enforcement Order Art. 8"
COLUMN_PATTERN = r"^[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}$"
TEXT_PATTERN = r"(?<![0-9])[0-9]{4}(?P<sep>[ -]?)[0-9]{4}(?P=sep)[0-9]{4}(?![0-9])"
# What every match contains, its bounds too (Detector.gates; Rust regex: no look-around).
TEXT_GATE = r"(?:^|[^0-9])[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}(?:[^0-9]|$)"
CONTEXT_WORDS = ("マイナンバー", "個人番号", "通知カード", "番号確認", "My Number", "MyNumber",
                 "individual number")
EXCLUDE_WORDS = (*NOT_PERSONAL_NUMBER_WORDS, "口座", "問い合わせ番号", "問合せ番号",
                 "免許")
REQUIRES_CONTEXT = False


def check_digit(first_eleven: str) -> int:
    total = sum(int(d) * (n + 1 if n <= 6 else n - 5)
                for n, d in enumerate(reversed(first_eleven), start=1))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def validate(value: str) -> bool:
    digits = digits_of(value)
    return (len(digits) == 12 and not one_repeated_digit(digits)
            and check_digit(digits[:11]) == int(digits[11]))


# Qn by column of the 12 digits: column 10 is P1 (n = 1), column 0 is P11.
_WEIGHTS = np.array([(n + 1 if n <= 6 else n - 5) for n in range(11, 0, -1)], dtype=np.int64)


def validate_column(cells: pl.Series) -> pl.Series:
    """``validate`` for a Series of normalised cells (numpy)."""
    m = digit_matrix(cells, 12)
    remainder = (m.digits[:, :11].astype(np.int64) @ _WEIGHTS) % 11
    check = np.where(remainder <= 1, 0, 11 - remainder)
    return pl.Series((m.lengths == 12) & ~m.one_repeated() & (check == m.digits[:, 11]))


# A spreadsheet that takes the column for numbers drops a leading 0 (012345678901 → 12345678901);
# in a column whose header names My Numbers it is put back, and the check digit decides.
_LOST_LEADING_ZERO = r"^[1-9][0-9]{10}$"


def restore_spreadsheet_value(cells: pl.Series) -> pl.Series:
    """A My Number column's cells with the leading 0 a spreadsheet dropped (null: nothing to
    do); the check digit still has to pass."""
    return with_leading_zero(cells, _LOST_LEADING_ZERO)


def normalise_value(value: str) -> str:
    return digits_of(value)
