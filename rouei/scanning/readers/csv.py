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
are dropped (a known limit: polars does not report them). CP932, EUC-JP, UTF-16, UTF-32 and mixed (UTF-8 BOM, CP932 lines) files are first transcoded
chunk by chunk into a temporary UTF-8 file (disk, not memory: up to 1.5 × the file size). Memory is bounded by polars' streaming
engine (a few hundred MB for multi-GB files) whatever the file size.

Nothing is lost silently: bytes that no encoding could decode become U+FFFD and are counted —
by the decoder while transcoding (``skipped["replaced_bytes"]``), and in the batches of a file
that has any (``skipped["replaced_characters"]``, the records holding one in
``skipped["replaced_rows"]``); a UTF-8 file is read strictly, so a clean one pays nothing, and
from the first bad record on with the bytes replaced. Lines of a mixed file read as CP932 are
counted in ``skipped["fallback_lines"]``. The engine reports them (report.py, ``partly_unreadable``).
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
    skipped: dict[str, int] = {}
    header_at = _tabular.header_row(records)
    has_header = header_at is not None
    skip = header_at + 1 if has_header else 0  # a preamble above the header, and the header
    if header_at:
        yield TextPart(name=name, lines=iter(_tabular.preamble_lines(records[:header_at], 1)),
                       encoding=encoding)
    if has_header:  # the batches skip the header and the preamble: count them here
        above = [cell for record in records[:skip] for cell in record]
        if replaced := sum(cell.count(_encoding.REPLACEMENT) for cell in above):
            skipped["replaced_characters"] = replaced
            skipped["replaced_rows"] = sum(
                any(_encoding.REPLACEMENT in cell for cell in record) for record in records[:skip])
    body = records[header_at or 0:]
    width = max((len(r) for r in body), default=1) or 1
    columns = _tabular.column_names(body[0] if has_header else [], width)
    yield TablePart(
        name=name, columns=columns, has_header=has_header, first_row=skip + 1,
        batches=_batches(path, encoding, delimiter, columns, skip, ctx, skipped),
        encoding=encoding, skipped=skipped)


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
             skip: int, ctx: ReadContext, skipped: dict[str, int]) -> Iterator[pl.DataFrame]:
    if encoding in (_encoding.UTF8, _encoding.UTF8_BOM):
        yield from _utf8_batches(path, delimiter, columns, skip, ctx, skipped)
        return
    with temp_file(ctx.limits, ".csv") as (utf8_path, handle):
        fallback, replaced = _encoding.fallback_lines(), _encoding.replaced_bytes()
        _encoding.transcode(path, encoding, handle, ctx.limits.temp_dir)
        fallback = _encoding.fallback_lines() - fallback
        replaced = _encoding.replaced_bytes() - replaced
        if fallback:
            skipped["fallback_lines"] = fallback
        if replaced:
            skipped["replaced_bytes"] = replaced
        handle.close()
        batches = _scan(utf8_path, delimiter, columns, skip, ctx)
        # Only a file with bytes the decoder replaced is searched for where they are.
        yield from _counted(batches, skipped) if replaced else batches


def _utf8_batches(path: Path, delimiter: str, columns: tuple[str, ...], skip: int,
                  ctx: ReadContext, skipped: dict[str, int]) -> Iterator[pl.DataFrame]:
    """Strict UTF-8 first (no cost: polars checks it anyway); at the first batch that is not
    valid UTF-8, the rest again from that record with the bad bytes replaced and counted."""
    done = 0
    try:
        for batch in _scan(path, delimiter, columns, skip, ctx, encoding="utf8"):
            done += batch.height
            yield batch
        return
    except pl.exceptions.ComputeError as exc:
        if "utf-8" not in str(exc).lower():
            raise
    yield from _counted(_scan(path, delimiter, columns, skip + done, ctx), skipped)


def _counted(batches: Iterator[pl.DataFrame], skipped: dict[str, int]) -> Iterator[pl.DataFrame]:
    """The batches as they are, counting the characters no encoding could decode (U+FFFD) and
    the records that hold one."""
    for batch in batches:
        if batch.width and batch.height:
            hit = batch.select(pl.any_horizontal(
                pl.all().str.contains(_encoding.REPLACEMENT, literal=True).fill_null(False)))
            rows = int(hit.to_series().sum())
            if rows:
                replaced = batch.select(pl.sum_horizontal(
                    pl.all().str.count_matches(_encoding.REPLACEMENT, literal=True)
                    .fill_null(0))).to_series().sum()
                skipped["replaced_rows"] = skipped.get("replaced_rows", 0) + rows
                skipped["replaced_characters"] = (skipped.get("replaced_characters", 0)
                                                  + int(replaced))
        yield batch


def _scan(path: Path, delimiter: str, columns: tuple[str, ...], skip: int,
          ctx: ReadContext, encoding: str = "utf8-lossy") -> Iterator[pl.DataFrame]:
    """The records after the first ``skip`` (a preamble and the header). They are read and
    dropped rather than skipped by polars' ``skip_rows``, which refused a file whose first
    records end in a lone CR ("column names not specified in schema") and left it unread."""
    frame = pl.scan_csv(
        path, has_header=False, separator=delimiter,
        schema=dict.fromkeys(columns, pl.String), missing_columns="insert",
        truncate_ragged_lines=True, encoding=encoding, quote_char='"', glob=False,
        raise_if_empty=False)
    if skip:
        frame = frame.slice(skip)
    yield from frame.collect_batches(chunk_size=ctx.limits.batch_rows, lazy=True)
