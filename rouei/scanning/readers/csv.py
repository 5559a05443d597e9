"""CSV and TSV (カンマ区切り・タブ区切り), in UTF-8 (with or without BOM), CP932/Shift_JIS,
EUC-JP or UTF-16 with BOM.

Detection on the head of the file (``Limits.sample_bytes``, cut at a line break): the encoding
(see _encoding), the delimiter (comma, tab, semicolon, pipe: the one whose field count is the
same on most records, counting quotes as a CSV parser does), the header (see
_tabular.looks_like_header) and the width (the widest record in the head).

Streaming: polars reads the file in batches of ``Limits.batch_rows`` records with every column
as a string; quoted fields may hold line breaks and count as one record, blank lines count as
empty records (as a spreadsheet shows them), so row numbers are record numbers. Records shorter
than the width are padded with nulls; fields beyond the width of the widest record in the head
are dropped (a known limit: polars does not report them). CP932, EUC-JP and UTF-16 files are first transcoded chunk by chunk into a temporary UTF-8
file (disk, not memory: up to 1.5 × the file size). Memory is bounded by polars' streaming
engine (a few hundred MB for multi-GB files) whatever the file size.
"""

from __future__ import annotations

import csv as stdcsv
import io
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from rouei.scanning.model import Part, TablePart, TextPart
from rouei.scanning.readers import _encoding, _tabular
from rouei.scanning.readers._base import (
    ReadContext,
    extension,
    not_text,
    read_sample,
    temp_file,
)

DELIMITERS = (",", "\t", ";", "|")
_SAMPLE_RECORDS = 1000


def read(path: Path, name: str, ctx: ReadContext, kind: str = "csv") -> Iterator[Part]:
    sample = read_sample(path, ctx.limits.sample_bytes)
    if not sample.data:
        yield TablePart(name=name, columns=(), has_header=False, first_row=1,
                        batches=iter(()), encoding=None)
        return
    encoding = _encoding.detect(sample)
    if encoding is None:
        yield not_text(name, sample.data)
        return
    text = _encoding.decode_sample(sample, encoding)
    text = text.removeprefix("\ufeff")
    delimiter = sniff_delimiter(text, prefer_tab=extension(name) in (".tsv", ".tab"))
    records = _parse(text, delimiter)
    if not sample.complete and len(records) > 1:
        records = records[:-1]  # the head may end inside a quoted field
    header_at = _tabular.header_row(records)
    has_header = header_at is not None
    skip = header_at + 1 if has_header else 0  # a preamble above the header, and the header
    if header_at:
        yield TextPart(name=name, lines=iter(_tabular.preamble_lines(records[:header_at], 1)),
                       encoding=encoding)
    body = records[header_at or 0:]
    width = max((len(r) for r in body), default=1) or 1
    columns = _tabular.column_names(body[0] if has_header else [], width)
    yield TablePart(
        name=name, columns=columns, has_header=has_header, first_row=skip + 1,
        batches=_batches(path, encoding, delimiter, columns, skip, ctx),
        encoding=encoding)


def sniff_delimiter(text: str, prefer_tab: bool = False) -> str:
    """The delimiter that splits most records into the same number (≥ 2) of fields."""
    order = ("\t", ",", ";", "|") if prefer_tab else DELIMITERS
    best, best_key = order[0], (0.0, 0)
    for rank, delimiter in enumerate(order):
        counts = [len(r) for r in _parse(text, delimiter, _SAMPLE_RECORDS // 5) if r]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        key = (round(counts.count(mode) / len(counts), 2), -rank)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def _parse(text: str, delimiter: str, limit: int = _SAMPLE_RECORDS) -> list[list[str]]:
    records: list[list[str]] = []
    reader = stdcsv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            records.append(record)
            if len(records) >= limit:
                break
    except stdcsv.Error:
        pass  # a field over the csv module's size limit, or a NUL: the head so far is enough
    return records


def _batches(path: Path, encoding: str, delimiter: str, columns: tuple[str, ...],
             skip: int, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    if encoding in (_encoding.UTF8, _encoding.UTF8_BOM):
        yield from _scan(path, delimiter, columns, skip, ctx)
        return
    with temp_file(ctx.limits, ".csv") as (utf8_path, handle):
        _encoding.transcode(path, encoding, handle, ctx.limits.temp_dir)
        handle.close()
        yield from _scan(utf8_path, delimiter, columns, skip, ctx)


def _scan(path: Path, delimiter: str, columns: tuple[str, ...], skip: int,
          ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """The records after the first ``skip`` (a preamble and the header)."""
    frame = pl.scan_csv(
        path, has_header=False, skip_rows=skip, separator=delimiter,
        schema=dict.fromkeys(columns, pl.String), missing_columns="insert",
        truncate_ragged_lines=True, encoding="utf8-lossy", quote_char='"', glob=False,
        raise_if_empty=False)
    yield from frame.collect_batches(chunk_size=ctx.limits.batch_rows, lazy=True)
