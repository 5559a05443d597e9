"""Shared by the tabular readers: is the first row a header, the column names, cell text as a
person sees it, and DataFrame batches from row iterators."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import islice

import polars as pl

from rouei.domain.items import fold_header

# Rows of the sample used to compare the first row with the rows below it.
HEADER_SAMPLE_ROWS = 200

_NUMBERISH = re.compile(r"[+\-]?[\d][\d,.\-/:()年月日時分秒 ]*")
_TOKEN_SPLIT = re.compile(r"[\s_\-./()（）・:：]+")


@lru_cache(maxsize=1)
def _aliases() -> frozenset[str]:
    from rouei.domain.items import alias_index

    return frozenset(alias_index())


def _norm(cell: str) -> str:
    return unicodedata.normalize("NFKC", cell).strip().casefold()


def is_numberish(cell: str) -> bool:
    """Digits with the separators of numbers, dates, times and phone numbers."""
    return _NUMBERISH.fullmatch(_norm(cell).replace(" ", "")) is not None


def matches_alias(cell: str) -> bool:
    """A header alias of the catalogue: the whole cell, one of its words, or (for Japanese
    aliases of two characters or more) contained in a short cell, e.g. お客様電話番号. The cell is
    read as the catalogue reads a header (``items.fold_header``: 氏　名, 電話番号（携帯）)."""
    text = fold_header(cell)
    if not text:
        return False
    aliases = _aliases()
    if text in aliases or re.sub(r"[\s\-.]+", "_", text) in aliases:
        return True
    if any(token in aliases for token in _TOKEN_SPLIT.split(text) if len(token) >= 3):
        return True
    # Containment only for short cells without digits: labels rarely have digits, data such as
    # 芝公園1番地 often does.
    if len(text) <= 20 and not any(ch.isdigit() for ch in text):
        return any(len(alias) >= 2 and not alias.isascii() and alias in text
                   for alias in aliases)
    return False


def looks_like_header(rows: Sequence[Sequence[str | None]]) -> bool:
    """Whether the first row names the columns: its cells look like labels (none is a number,
    date or phone number, none is an e-mail address) and either one matches a catalogue alias
    or some column is text in the first row but mostly numbers below it."""
    if not rows:
        return False
    first = [(cell or "").strip() for cell in rows[0]]
    labels = [cell for cell in first if cell]
    if not labels or any(is_numberish(c) or "@" in c for c in labels):
        return False
    if any(matches_alias(cell) for cell in labels):
        return True
    body = [row for row in islice(rows, 1, HEADER_SAMPLE_ROWS + 1) if any(row)]
    for index, label in enumerate(first):
        if not label:
            continue
        values = [row[index] for row in body if index < len(row) and row[index]]
        if values and sum(map(is_numberish, values)) / len(values) >= 0.7:
            return True
    return False


# A sheet may have a title, a date, notes or blank rows above its header (顧客一覧（2024年4月末
# 時点）): so many records at most.
PREAMBLE_ROWS = 10


def _filled(row: Sequence[str | None]) -> int:
    return sum(1 for cell in row if cell and cell.strip())


def header_row(rows: Sequence[Sequence[str | None]]) -> int | None:
    """Which record names the columns: 0 if the first does (``looks_like_header``); else the
    first of the next records (up to ``PREAMBLE_ROWS``) with two or more catalogue aliases, if
    it looks like a header for the records below it and only a preamble is above it (records
    with fewer filled cells than half its labels: a title, a date, notes, blank rows). None:
    the table has no header."""
    if not rows:
        return None
    if looks_like_header(rows):
        return 0
    for index in range(1, min(PREAMBLE_ROWS + 1, len(rows))):
        labels = _filled(rows[index])
        if labels < 2 or sum(1 for cell in rows[index] if cell and matches_alias(cell)) < 2:
            continue
        above_is_preamble = all(_filled(row) * 2 < labels for row in rows[:index])
        return index if above_is_preamble and looks_like_header(rows[index:]) else None
    return None


def preamble_lines(rows: Sequence[Sequence[str | None]],
                   first_row: int) -> list[tuple[int, str]]:
    """The filled records above a header as text lines (row number, cells joined by spaces),
    so that what a title or a note says is scanned too."""
    return [(first_row + i, " ".join(c.strip() for c in row if c and c.strip()))
            for i, row in enumerate(rows) if _filled(row)]


def column_names(header: Sequence[str | None], width: int, offset: int = 0) -> tuple[str, ...]:
    """Unique names for ``width`` columns: the header text where there is one (stripped), the
    0-based index (plus ``offset``, e.g. the first used column of a sheet) otherwise;
    a repeated name gets ``_2``, ``_3`` …"""
    names: list[str] = []
    seen: set[str] = set()
    for index in range(max(width, len(header))):
        text = (header[index] or "").strip() if index < len(header) else ""
        base = text or str(index + offset)
        name, n = base, 1
        while name in seen:
            n += 1
            name = f"{base}_{n}"
        seen.add(name)
        names.append(name)
    return tuple(names)


def cell_text(value: object) -> str | None:
    """A spreadsheet cell as a person sees it: integers without ".0", dates as ISO dates,
    booleans as TRUE/FALSE; empty cells are None."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def frames(rows: Iterable[Sequence[str | None]], columns: Sequence[str],
           batch_rows: int) -> Iterator[pl.DataFrame]:
    """DataFrames of at most ``batch_rows`` rows, all columns strings; rows are padded or cut to
    the width of ``columns``."""
    width = len(columns)
    schema = dict.fromkeys(columns, pl.String)
    iterator = iter(rows)
    while batch := list(islice(iterator, batch_rows)):
        data = [list(row[:width]) + [None] * (width - len(row)) for row in batch]
        try:
            yield pl.DataFrame(data, schema=schema, orient="row")
        except UnicodeEncodeError:  # lone surrogates (from JSON escapes) are not UTF-8
            yield pl.DataFrame([[_clean(cell) for cell in row] for row in data], schema=schema,
                               orient="row")


_SURROGATE = re.compile("[\ud800-\udfff]")


def no_surrogates(text: str) -> str:
    """Lone surrogates (legal in JSON escapes, not in UTF-8) as U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _clean(text: str | None) -> str | None:
    return None if text is None else no_surrogates(text)


def numbered_frames(rows: Iterable[tuple[int, Sequence[str | None]]], columns: Sequence[str],
                    batch_rows: int, row_numbers_column: str) -> Iterator[pl.DataFrame]:
    """As ``frames`` for (row number, row) pairs, the numbers in an extra Int64 column."""
    iterator = iter(rows)
    while batch := list(islice(iterator, batch_rows)):
        frame = next(frames((row for _, row in batch), columns, batch_rows))
        yield frame.with_columns(
            pl.Series(row_numbers_column, [number for number, _ in batch], pl.Int64))
