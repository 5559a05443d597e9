"""Character classes and small helpers shared by the detector modules (not a detector).

Patterns are written with literal characters (not ``\\u`` or ``\\x{}`` escapes) inside the
classes below, so the same pattern string compiles in Python's ``re`` and in Rust's ``regex``
(polars).
"""

from __future__ import annotations

import re
import unicodedata

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


# --- vectorised forms (polars), for whole columns of normalised cells -------------------------
# A detector may declare ``validate_column(cells: pl.Series) -> pl.Series``: ``validate`` for a
# Series of normalised cells that match its ``COLUMN_PATTERN`` (null or not matching: any
# result), as a few polars expressions instead of a Python call per value. Intermediate columns
# are materialised stage by stage (``digit_frame``): polars does not reliably share a common
# subexpression such as the digit string between the many uses made of it.

_ONE_REPEATED_DIGIT = "^(?:" + "|".join(f"{d}+" for d in range(10)) + ")$"


def digit_frame(cells: pl.Series) -> pl.DataFrame:
    """Columns ``digits`` (``digits_of`` of each cell; cells are NFKC already) and ``number``
    (the digits as an unsigned 64-bit integer; null when empty or over 19 digits)."""
    return (cells.to_frame("cell")
            .select(digits=pl.col("cell").str.replace_all("[^0-9]", ""))
            .with_columns(number=pl.when(pl.col("digits").str.len_bytes().is_between(1, 19))
                          .then(pl.col("digits").cast(pl.UInt64, strict=False))))


def digit_expr(number: pl.Expr, from_right: int) -> pl.Expr:
    """The digit ``from_right`` places from the right of ``number`` (0: the last), as Int64."""
    return ((number // pl.lit(10 ** from_right, pl.UInt64)) % 10).cast(pl.Int64)


def one_repeated_digit_expr(digits: pl.Expr) -> pl.Expr:
    """``one_repeated_digit`` for non-empty digit strings."""
    return digits.str.contains(_ONE_REPEATED_DIGIT)


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
