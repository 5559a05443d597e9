"""Driver's licence numbers (運転免許証番号).

12 digits: the 公安委員会 code of the first issuing commission (10–14 Hokkaido, 20–25, 30 Tokyo,
40–49, 50–55, 60–65, 70–74, 80–83, 90–97), the last two digits of the year of first issue, a
6-digit serial, a check digit, and the reissue count.

The check digit (11th) is computed as (11 − Σ dᵢ×wᵢ mod 11) mod 10 over the first 10 digits with
weights 5, 4, 3, 2, 7, 6, 5, 4, 3, 2. The National Police Agency (警察庁) does not publish this
rule; it is the one independent public descriptions agree on (e.g. jiko0.com/bangou.html with its
worked example 3090123456 → 2; kojima-yutaka.main.jp, 4598033587 → 2). Because it is not
confirmed from an official source, and 12 digits are also the shape of a My Number, this detector
REQUIRES context words (免許 …) in free text, and checks the commission code as well.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from rouei.scanning.detectors._common import (
    digit_matrix,
    digits_of,
    one_repeated_digit,
)

CATEGORY = "drivers_license"
CHECKSUM = "check digit (weights 5432765432 mod 11; publicly described, not official)"
COLUMN_PATTERN = r"^[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}$"
TEXT_PATTERN = r"(?<![0-9])[0-9]{4}(?P<sep>[ -]?)[0-9]{4}(?P=sep)[0-9]{4}(?![0-9])"
# What every match contains, its bounds too (Detector.gates; Rust regex: no look-around).
TEXT_GATE = r"(?:^|[^0-9])[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}(?:[^0-9]|$)"
CONTEXT_WORDS = ("免許", "運転免許", "免許証", "免許番号", "driver", "license", "licence")
REQUIRES_CONTEXT = True

COMMISSION_CODES = frozenset(
    [*range(10, 15), *range(20, 26), 30, *range(40, 50), *range(50, 56), *range(60, 66),
     *range(70, 75), *range(80, 84), *range(90, 98)])
_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def check_digit(first_ten: str) -> int:
    total = sum(int(d) * w for d, w in zip(first_ten, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def validate(value: str) -> bool:
    digits = digits_of(value)
    return (len(digits) == 12 and int(digits[:2]) in COMMISSION_CODES
            and not one_repeated_digit(digits[4:10])
            and check_digit(digits[:10]) == int(digits[10]))


def validate_column(cells: pl.Series) -> pl.Series:
    """``validate`` for a Series of normalised cells (numpy)."""
    m = digit_matrix(cells, 12)
    total = m.digits[:, :10].astype(np.int64) @ np.array(_WEIGHTS, dtype=np.int64)
    check = (11 - total % 11) % 10
    commission = m.digits[:, 0].astype(np.int64) * 10 + m.digits[:, 1]
    return pl.Series((m.lengths == 12) & np.isin(commission, sorted(COMMISSION_CODES))
                     & ~m.one_repeated(4, 10) & (check == m.digits[:, 10]))


def normalise_value(value: str) -> str:
    return digits_of(value)
