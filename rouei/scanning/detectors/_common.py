"""Character classes and small helpers shared by the detector modules (not a detector).

Patterns are written with literal characters (not ``\\u`` or ``\\x{}`` escapes) inside the
classes below, so the same pattern string compiles in Python's ``re`` and in Rust's ``regex``
(polars).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import polars as pl

# CJK ideographs (Extension A, the Unified block, compatibility ideographs) and the marks
# names use with them: 々 (repetition), 〆, ヶ.
KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006\u30f6"
HIRAGANA = "\u3041-\u3096"
KATAKANA = "\u30a1-\u30fa"  # ァ … ヺ
PROLONGED = "\u30fc"  # ー
MIDDLE_DOT = "\u30fb"  # ・

_NOT_DIGIT = re.compile(r"[^0-9]")

# Words before a number that make it an order, product, slip or amount number rather than a
# person's (detectors drop such a number unless one of their own context words is also near).
NOT_PERSONAL_NUMBER_WORDS = (
    "注文", "受注", "発注", "伝票", "追跡", "商品", "コード", "品番", "型番", "管理番号", "会員番号",
    "受付", "整理番号", "取引", "請求", "金額", "合計", "価格", "法人番号", "ID", "No", "order",
    "invoice", "tracking", "serial", "SKU", "JAN", "ISBN",
)


def nfkc(value: str) -> str:
    return value if value.isascii() else unicodedata.normalize("NFKC", value)


def digits_of(value: str) -> str:
    """The ASCII digits of ``value`` (full-width digits count), in order."""
    return _NOT_DIGIT.sub("", nfkc(value))


def one_repeated_digit(digits: str) -> bool:
    """000000000000 and the like: placeholders, never a real number."""
    return len(set(digits)) <= 1


# --- vectorised forms, for whole columns of normalised cells ----------------------------------
# A detector may declare ``validate_column(cells: pl.Series) -> pl.Series``: ``validate`` for a
# Series of normalised cells that match its ``COLUMN_PATTERN`` (null or not matching: any
# result), computed for all cells at once instead of a Python call per value. Check digits are
# computed in numpy on a matrix of digits (``digit_matrix``): a handful of array operations over
# the whole column, ~20× faster than the same arithmetic as polars expressions.


@dataclass(frozen=True)
class DigitMatrix:
    """The digits of each cell, right-aligned in ``width`` columns with leading zeros
    (``digits[i, j]``: 0–9, uint8), and how many digits the cell has (``lengths``; 0 when it has
    none or more than ``width``: such a row is all zeros)."""

    digits: np.ndarray
    lengths: np.ndarray

    @property
    def width(self) -> int:
        return self.digits.shape[1]

    def one_repeated(self, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """``one_repeated_digit`` of the digits in columns ``lo:hi`` of each cell's own digits
        (counted from its first digit)."""
        start = self.width - self.lengths
        part_lo = start + lo
        part_hi = start + (self.lengths if hi is None else hi)
        first = np.take_along_axis(self.digits, np.minimum(part_lo, self.width - 1)[:, None],
                                   axis=1)
        position = np.arange(self.width)
        inside = (position >= part_lo[:, None]) & (position < part_hi[:, None])
        return ~((self.digits != first) & inside).any(axis=1)


def digit_matrix(cells: pl.Series, width: int) -> DigitMatrix:
    """``digits_of`` each cell (cells are NFKC already) as a ``DigitMatrix``."""
    # The column patterns of numbers allow only spaces and hyphens between digits: dropping
    # those is 2× faster than dropping every non-digit, which only odd cells still need.
    digits = cells.str.replace_all("[ -]", "")
    odd = digits.str.contains("[^0-9]").fill_null(False)
    if odd.any():
        digits = digits.scatter(odd.arg_true(), digits.filter(odd).str.replace_all("[^0-9]", ""))
    lengths = digits.str.len_bytes().fill_null(0)
    fits = (lengths > 0) & (lengths <= width)
    padded = pl.select(pl.when(pl.lit(fits)).then(pl.lit(digits).str.pad_start(width, "0"))
                       .otherwise(pl.lit("0" * width))).to_series()
    # One string of all the cells (each exactly ``width`` ASCII digits) read as bytes.
    joined = padded.str.join("").item() if len(padded) else ""
    matrix = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(-1, width) - 48
    return DigitMatrix(matrix, np.where(fits.to_numpy(), lengths.to_numpy(), 0).astype(np.int64))


def _ranges(body: str) -> list[tuple[int, int]]:
    """Code-point ranges of a class body of literal characters and ``a-b`` ranges."""
    out, i = [], 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            out.append((ord(body[i]), ord(body[i + 2])))
            i += 3
        else:
            out.append((ord(body[i]), ord(body[i])))
            i += 1
    return out


def _body(ranges: list[tuple[int, int]]) -> str:
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)


def tempered(body: str, stop_words: tuple[str, ...]) -> str:
    """A regex for one character of the class ``[body]`` that does not begin any of
    ``stop_words``. Characters that begin no stop word take a plain class (fast); only the few
    that do pay for the look-ahead."""
    firsts = {ord(w[0]) for w in stop_words}
    ranges = _ranges(body)
    plain: list[tuple[int, int]] = []
    for lo, hi in ranges:
        start = lo
        for point in sorted(p for p in firsts if lo <= p <= hi):
            if start < point:
                plain.append((start, point - 1))
            start = point + 1
        if start <= hi:
            plain.append((start, hi))
    guarded = sorted(p for p in firsts if any(lo <= p <= hi for lo, hi in ranges))
    if not guarded:
        return f"[{_body(plain)}]"
    stops = "|".join(re.escape(w) for w in sorted(stop_words, key=len, reverse=True))
    return f"(?:[{_body(plain)}]|(?!{stops})[{_body([(p, p) for p in guarded])}])"


def with_leading_zero(cells: pl.Series, lost: str) -> pl.Series:
    """"0" + the cells that match ``lost`` (a number whose leading 0 a spreadsheet dropped);
    null for the others."""
    return pl.select(pl.when(pl.lit(cells).str.contains(lost))
                     .then(pl.concat_str([pl.lit("0"), pl.lit(cells)]))).to_series()
