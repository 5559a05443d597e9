"""Masked values for findings, reports and logs: enough to recognise a value, never all of it.

Raw personal data must not appear in logs, reports or URLs unless a person explicitly asks to
see it (docs/architecture.md, "Conventions"). ``mask`` keeps per item what helps a reviewer
(090-****-5678, ****-****-****-1234, t***@example.jp, 東京都千代田区＊＊＊) and, for anything
else, at most a quarter of the characters. Separators (hyphens, spaces) are kept.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import polars as pl

from rouei.scanning.detectors import address, birth_date
from rouei.scanning.normalise import normalise, normalise_column

STAR = "*"
WIDE_STAR = "＊"  # in Japanese text (addresses)
_SEPARATORS = frozenset(" -\u3000()\uff0d")
_DIGITS = "0123456789０１２３４５６７８９"
# The rules below are written with C-level string operations (a regex to find where the kept
# part ends, ``translate``/``sub`` to star the rest) instead of a loop over the characters:
# ``rouei scan --findings`` masks millions of values. tests/scanning/detectors/test_masking.py
# checks them against the character loops they replace.
_SEP_CLASS = "".join(re.escape(ch) for ch in sorted(_SEPARATORS))
_NOT_SEPARATOR = re.compile(f"[^{_SEP_CLASS}]")
_STAR_DIGITS = str.maketrans(dict.fromkeys(_DIGITS, STAR))
_DROP_DIGITS = str.maketrans(dict.fromkeys(_DIGITS))
_DROP_SEPARATORS = str.maketrans(dict.fromkeys(_SEPARATORS))


@functools.cache
def _first_n(kind: str, n: int) -> re.Pattern[str]:
    """Matches from the start through the ``n``-th digit (``kind`` "digit") or non-separator
    (``kind`` "char")."""
    if kind == "digit":
        return re.compile(f"(?:[^0-9０-９]*[0-9０-９]){{{n}}}")
    return re.compile(f"(?:[{_SEP_CLASS}]*[^{_SEP_CLASS}]){{{n}}}")


@functools.cache
def _last_digits(n: int) -> re.Pattern[str]:
    """Matches from the ``n``-th digit from the end to the end."""
    return re.compile(f"(?:[0-9０-９][^0-9０-９]*){{{n}}}\\Z")


def mask(category: str, value: str) -> str:
    """``value`` masked as befits its catalogue ``category``; never the whole value."""
    if not value:
        return ""
    masked = masker(category)(value)
    if masked == value:  # a value too short or odd for its rule: fall back
        masked = mask_default(value)
    return masked


def mask_default(value: str, share: float = 0.25) -> str:
    """Keep the first ⌊share × n⌋ characters (separators not counted), star the rest."""
    keep = int(len(value.translate(_DROP_SEPARATORS)) * share)
    end = _first_n("char", keep).match(value).end() if keep else 0
    return value[:end] + _NOT_SEPARATOR.sub(STAR, value[end:])


def _keep_digits(value: str, first: int, last: int) -> str:
    """Star every digit except the first ``first`` and the last ``last``; keep the rest."""
    digits = len(value) - len(value.translate(_DROP_DIGITS))
    if first + last >= digits:
        return mask_default(value)
    start = _first_n("digit", first).match(value).end() if first else 0
    end = _last_digits(last).search(value, start).start() if last else len(value)
    return value[:start] + value[start:end].translate(_STAR_DIGITS) + value[end:]


def mask_phone(value: str) -> str:
    """090-****-5678 (the first group and the last four digits); 090****5678 without groups;
    at least four digits are always starred."""
    groups = [g for g in re.split(r"[^0-9０-９]+", value) if g]
    n = sum(map(len, groups))
    first = len(groups[0]) if len(groups) >= 2 else 3
    if value.lstrip().startswith("+") and len(groups) >= 2:
        first = len(groups[0]) + len(groups[1])  # +81 and the area code
    last = max(0, min(4, n - first - 4))
    return _keep_digits(value, first, last)


def mask_last_four(value: str) -> str:
    """****-****-****-1234: only the last four digits."""
    return _keep_digits(value, 0, 4)


def mask_email(value: str) -> str:
    """t***@example.jp: the first character of the local part (none if it is one character)
    and the domain."""
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return mask_default(value)
    return f"{local[0] if len(local) > 1 else ''}{STAR * 3}@{domain}"


def mask_name(value: str) -> str:
    """山* **: the first character; spaces kept so the shape of the name shows."""
    return value[:1] + _NOT_SEPARATOR.sub(STAR, value[1:])


def mask_address(value: str) -> str:
    """東京都千代田区＊＊＊＊: prefecture and municipality, the rest starred."""
    end = _locality_end(value)
    if end is None:
        return mask_default(value)
    return value[:end] + _NOT_SEPARATOR.sub(WIDE_STAR, value[end:])


def _locality_end(value: str) -> int | None:
    """Where prefecture and municipality end in ``value``, or None if there is no locality or
    nothing after it."""
    norm = normalise(value)
    end = _end_of_locality(norm.text)
    return None if end is None else norm.to_original(0, end)[1]


def _end_of_locality(text: str) -> int | None:
    """``_locality_end`` of a normalised text."""
    locality, rest = address.split_locality(text)
    return len(locality) if locality and rest.strip() else None


def mask_birth_date(value: str) -> str:
    """19**-**-**: the first two digits of the year."""
    day = birth_date.parse(value)
    return f"{str(day.year)[:2]}**-**-**" if day else mask_default(value)


def masker(category: str) -> Callable[[str], str]:
    """The rule ``mask`` applies to a value of ``category`` (before its fallback: a value the
    rule leaves as it is gets ``mask_default``)."""
    return _MASKERS.get(category, mask_default)


_MASKERS = {
    "phone": mask_phone,
    "credit_card": mask_last_four,
    "my_number": mask_last_four,
    "email": mask_email,
    "person_name": mask_name,
    "name_kana": mask_name,
    "address": mask_address,
    "birth_date": mask_birth_date,
}


# --- whole columns (polars) -------------------------------------------------------------------
# ``mask_column`` gives what ``mask`` gives, for a column of cells at once: the common shape of
# each item is masked with polars expressions (the rules above, written for that shape only);
# every other value goes through ``mask`` once per distinct value. Patterns are Rust ``regex``.

_SEPARATOR_RS = "[ \\-\u3000()\uff0d]"
_NOT_SEPARATOR_RS = "[^ \\-\u3000()\uff0d]"


def _head_and_stars(e: pl.Expr) -> pl.Expr:  # mask_name
    return pl.concat_str([e.str.slice(0, 1), e.str.slice(1).str.replace_all(_NOT_SEPARATOR_RS, STAR)])


def _email(e: pl.Expr) -> pl.Expr:  # mask_email, one "@" and a local part of 2+ characters
    return pl.concat_str([e.str.slice(0, 1), pl.lit(STAR * 3 + "@"), e.str.extract("@(.*)$", 1)])


def _last_four(e: pl.Expr) -> pl.Expr:  # mask_last_four when the last four are digits
    return pl.concat_str([e.str.head(-4).str.replace_all("[0-9]", STAR), e.str.tail(4)])


def _birth_date(e: pl.Expr) -> pl.Expr:  # mask_birth_date for 1985/04/01 (a real date)
    day = e.str.replace_many(["/", "."], ["-", "-"]).str.to_date("%Y-%m-%d", strict=False)
    return pl.when(day.is_not_null()).then(pl.concat_str([e.str.slice(0, 2),
                                                          pl.lit("**-**-**")]))


_SHAPES: dict[str, tuple[str, Callable[[pl.Expr], pl.Expr]]] = {
    "person_name": ("^.", _head_and_stars),
    "name_kana": ("^.", _head_and_stars),
    "email": ("^[^@]{2,}@[^@]*$", _email),
    "credit_card": ("^[0-9][0-9 -]*[0-9]{4}$", _last_four),
    "my_number": ("^[0-9][0-9 -]*[0-9]{4}$", _last_four),
    "birth_date": ("^(?:1[89]|20)[0-9]{2}[/.-][0-9]{2}[/.-][0-9]{2}$", _birth_date),
}


def _default_column(values: pl.Series) -> pl.Series:
    """mask_default for every cell: the first quarter of its characters (separators not
    counted) kept, each cell with the same number kept by one pattern."""
    keep = (values.str.len_chars() - values.str.count_matches(_SEPARATOR_RS)) // 4
    masked = pl.Series(values.name, [None] * len(values), dtype=pl.Utf8)
    for n in keep.drop_nulls().unique().to_list():
        at = (keep == n).fill_null(False)
        parts = values.filter(at).str.extract_groups(
            f"(?s)^((?:{_SEPARATOR_RS}*{_NOT_SEPARATOR_RS}){{{n}}})(.*)$")
        masked = masked.scatter(at.arg_true(), parts.to_frame("p").select(pl.concat_str([
            pl.col("p").struct.field("1"),
            pl.col("p").struct.field("2").str.replace_all(_NOT_SEPARATOR_RS, STAR)])).to_series())
    return masked


_DIGIT_RS = "[0-9０-９]"
# What Python's str.lstrip() takes (every character for which str.isspace() is true).
_PY_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _phone_column(values: pl.Series) -> pl.Series:
    """mask_phone: how many digits it keeps at the start and at the end worked out by polars
    for every cell (its digit groups, a leading +), then each cell with the same two numbers
    starred by one pattern; null where mask_phone falls back to mask_default."""
    v = pl.col("v")
    groups = v.str.extract_all(f"{_DIGIT_RS}+")
    g0, g1 = (groups.list.get(i, null_on_oob=True).str.len_chars() for i in (0, 1))
    several = groups.list.len() >= 2
    first = (pl.when(several & v.str.strip_chars_start(_PY_SPACES).str.starts_with("+"))
             .then(g0 + g1).when(several).then(g0).otherwise(3))
    digits = v.str.count_matches(_DIGIT_RS)
    frame = values.to_frame("v").with_columns(first=first, digits=digits).with_columns(
        last=pl.min_horizontal(4, pl.col("digits") - pl.col("first") - 4).clip(0))
    frame = frame.with_columns(pl.when(pl.col("first") + pl.col("last") < pl.col("digits"))
                               .then(pl.struct("first", "last")).alias("keep"))
    masked = pl.Series("v", [None] * len(values), dtype=pl.Utf8)
    for first, last in frame.get_column("keep").drop_nulls().unique().struct.unnest().rows():
        at = (frame.get_column("keep").struct.field("first") == first) & (
            frame.get_column("keep").struct.field("last") == last)
        at = at.fill_null(False)
        parts = values.filter(at).str.extract_groups(
            f"(?s)^((?:[^0-9０-９]*{_DIGIT_RS}){{{first}}})(.*?)((?:{_DIGIT_RS}[^0-9０-９]*){{{last}}})$")
        masked = masked.scatter(at.arg_true(), parts.to_frame("p").select(pl.concat_str([
            pl.col("p").struct.field("1"),
            pl.col("p").struct.field("2").str.replace_all(_DIGIT_RS, STAR),
            pl.col("p").struct.field("3")])).to_series())
    return masked


# The cells whose normal form is theirs character for character (ASCII, kana, kanji, 々〆〇,
# full-width ASCII, the ideographic space): normalise() maps them one for one (identity offsets).
ONE_FOR_ONE = ("(?s)^[\x00-\x7f\u3005-\u3007\u3041-\u3096\u30a1-\u30fa\u30fc"
                "\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e\u3000]*$")


def _address_column(values: pl.Series) -> pl.Series:
    """mask_address: the locality found in Python (its regex needs look-arounds), on the
    normal form polars gives where it is one for one with the cell (most cells: the offsets
    are the same), else once per distinct value with ``normalise``; the rest starred by
    polars."""
    one = values.str.contains(ONE_FOR_ONE).fill_null(False)
    texts = pl.select(normalise_column(pl.lit(values.filter(one)), strip=False)).to_series()
    ends = pl.Series([None] * len(values), dtype=pl.Int64).scatter(
        one.arg_true(), pl.Series([_end_of_locality(t) for t in texts.to_list()], dtype=pl.Int64))
    other = ~one & values.is_not_null()
    if other.any():
        rest = values.filter(other)
        distinct = rest.unique()
        ends = ends.scatter(other.arg_true(), rest.replace_strict(
            distinct, [_locality_end(d) for d in distinct.to_list()], default=None,
            return_dtype=pl.Int64))
    return pl.select(pl.when(ends.is_not_null()).then(pl.concat_str([
        pl.lit(values).str.head(ends),
        pl.lit(values).str.slice(ends).str.replace_all(_NOT_SEPARATOR_RS, WIDE_STAR)]))).to_series()


def mask_column(category: str, values: pl.Series) -> pl.Series:
    """``mask(category, v)`` for each value of a Series of strings (null stays null)."""
    shape = _SHAPES.get(category)
    if category == "address":
        masked = _address_column(values)
    elif category == "phone":
        masked = _phone_column(values)
    elif category not in _MASKERS:  # mask is mask_default
        masked = _default_column(values)
    elif shape is None:
        masked = pl.Series(values.name, [None] * len(values), dtype=pl.Utf8)
    else:
        pattern, rule = shape
        v = pl.col("v")
        masked = values.to_frame("v").select(
            pl.when(v.str.contains(pattern)).then(rule(v))).to_series()
    # Other shapes, and values the rule leaves as they are (mask falls back then): ``mask``.
    other = values.is_not_null() & (masked.is_null() | (masked == values)).fill_null(True)
    if other.any():
        rest = values.filter(other)
        mapping = {value: mask(category, value) for value in rest.unique().to_list()}
        masked = masked.scatter(other.arg_true(),
                                rest.replace_strict(mapping, return_dtype=pl.Utf8))
    return masked
