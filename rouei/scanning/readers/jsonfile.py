"""JSON and JSON Lines.

JSON Lines (.jsonl/.ndjson, or lines that are each a JSON object): one ``TablePart``, one record
per line, nested keys dotted (``contact.tel``; list items by index, ``phones.0``); the row
number of a record is its line number (``row_numbers_column``, since blank and bad lines leave
gaps). Bad lines are skipped and counted in ``skipped["bad_json_line"]``. Streaming: two passes
line by line — the first collects the keys (at most ``Limits.max_columns``; values under further
keys are counted in ``skipped["keys_over_limit"]``), the second builds batches of
``Limits.batch_rows``; memory holds one batch. A line longer than ``Limits.max_line_chars`` is a
bad line.

JSON (one document): parsed whole, so only up to ``Limits.max_json_bytes`` (default 64 MiB);
larger or invalid documents are read as plain text lines instead (``skipped["json_too_large"]``
or ``skipped["invalid_json"]``) so their contents are still scanned. Every array of objects
becomes a ``TablePart`` — the top-level array named as the file, a nested one ``file.json#key``
— with dotted keys as columns and ``first_row`` 1 (records are numbered from 1; a JSON file
has no header row). All other values become one ``TextPart`` of lines ``dotted.key: value``
(synthetic lines: offsets count within them).

Numbers are kept as written (``1.50`` stays ``1.50``); true/false/null as JSON spells them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from rouei.scanning.model import Part, TablePart, TextPart
from rouei.scanning.readers import _encoding, _tabular, text
from rouei.scanning.readers._base import ReadContext, not_text, read_sample

ROW_NUMBERS = "__rouei_row__"
# Numbers kept as written; one decoder for all lines (json.loads would build one per call).
_DECODER = json.JSONDecoder(parse_float=str, parse_int=str, parse_constant=str)
_loads = _DECODER.decode


def read(path: Path, name: str, ctx: ReadContext, kind: str = "json") -> Iterator[Part]:
    sample = read_sample(path, ctx.limits.sample_bytes)
    encoding = _encoding.detect(sample) if sample.data else _encoding.UTF8
    if encoding is None:
        yield not_text(name, sample.data)
        return
    if kind == "jsonl":
        yield from _json_lines(path, name, encoding, ctx)
    else:
        yield from _json_document(path, name, encoding, ctx)


# JSON Lines ---------------------------------------------------------------------------------

def _records(path: Path, encoding: str, max_chars: int) -> Iterator[tuple[int, object]]:
    """(line number, parsed value or _BAD) for every non-blank line."""
    pending: list[str] = []
    for number, piece, complete in _encoding.iter_lines(path, encoding, max_chars):
        if not complete:
            pending.append(piece)
            continue
        if pending:
            pending.clear()
            yield number, _BAD  # over the line limit
            continue
        if number == 1 and piece.startswith("\ufeff"):
            piece = piece[1:]
        if not piece.strip():
            continue
        try:
            yield number, _loads(piece)
        except (ValueError, RecursionError):
            yield number, _BAD


_BAD = object()


def _json_lines(path: Path, name: str, encoding: str, ctx: ReadContext) -> Iterator[Part]:
    limit = ctx.limits.max_columns
    keys: dict[str, None] = {}
    first_row = None
    for number, value in _records(path, encoding, ctx.limits.max_line_chars):
        flat = _flat_or_none(value)
        if flat is None:
            continue
        first_row = first_row or number
        for key in flat:
            if len(keys) >= limit:
                break
            keys.setdefault(key)
    columns = _column_names(keys)
    skipped: dict[str, int] = {}
    yield TablePart(
        name=name, columns=columns, has_header=True, first_row=first_row or 1,
        batches=_tabular.numbered_frames(
            _rows(path, encoding, tuple(keys), skipped, ctx), columns, ctx.limits.batch_rows,
            ROW_NUMBERS),
        encoding=encoding, row_numbers_column=ROW_NUMBERS, skipped=skipped)


def _rows(path: Path, encoding: str, columns: tuple[str, ...], skipped: dict[str, int],
          ctx: ReadContext) -> Iterator[tuple[int, list[str | None]]]:
    index = {column: i for i, column in enumerate(columns)}
    for number, value in _records(path, encoding, ctx.limits.max_line_chars):
        flat = _flat_or_none(value)
        if flat is None:
            skipped["bad_json_line"] = skipped.get("bad_json_line", 0) + 1
            continue
        row: list[str | None] = [None] * len(columns)
        for key, cell in flat.items():
            position = index.get(key)
            if position is None:
                skipped["keys_over_limit"] = skipped.get("keys_over_limit", 0) + 1
            else:
                row[position] = cell
        yield number, row


def _column_names(keys: dict[str, None]) -> tuple[str, ...]:
    """The keys as column names: valid UTF-8 and unique (and never the row-number column)."""
    names = [_tabular.no_surrogates(key) for key in keys]
    names = [f"{n}_" if n == ROW_NUMBERS else n for n in names]
    return _tabular.column_names(names, len(names))


def _flat_or_none(value: object) -> dict[str, str | None] | None:
    if value is _BAD:
        return None
    try:
        return flatten(value)
    except RecursionError:
        return None


def flatten(value: object, prefix: str = "") -> dict[str, str | None]:
    """Leaves of a parsed JSON value by dotted key; a bare scalar is under "value". Numbers
    are already strings (see ``_DECODER``)."""
    out: dict[str, str | None] = {}
    if isinstance(value, (dict, list)):
        _flatten(value, prefix, out)
    else:
        out[prefix or "value"] = _scalar(value)
    return out


def _flatten(value: dict | list, prefix: str, out: dict[str, str | None]) -> None:
    items = value.items() if type(value) is dict else enumerate(value)
    for key, item in items:
        path = f"{prefix}.{key}" if prefix else str(key)
        kind = type(item)
        if kind is str:
            out[path] = item
        elif kind is dict or kind is list:
            _flatten(item, path, out)
        else:
            out[path] = _scalar(item)


def _scalar(value: object) -> str | None:
    if value is None:
        return None
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


# JSON document --------------------------------------------------------------------------------

def _json_document(path: Path, name: str, encoding: str, ctx: ReadContext) -> Iterator[Part]:
    if path.stat().st_size > ctx.limits.max_json_bytes:
        yield _as_text(path, name, encoding, ctx, "json_too_large")
        return
    with _encoding.open_text(path, encoding) as stream:
        document = stream.read()
    try:
        data = _loads(document.removeprefix("\ufeff"))
    except (ValueError, RecursionError):
        yield _as_text(path, name, encoding, ctx, "invalid_json")
        return
    del document
    tables: list[tuple[str, list[dict]]] = []
    leaves: list[str] = []
    try:
        _split(data, "", tables, leaves)
    except RecursionError:
        yield _as_text(path, name, encoding, ctx, "invalid_json")
        return
    for key, records in tables:
        # An array of records under a key is a table of the document: the findings name it
        # (``table``: "orders", "data.customers"), as they name a dump's tables.
        yield _table(f"{name}#{key}" if key else name, records, encoding, ctx, table=key or None)
    if leaves:
        yield TextPart(name=name, lines=enumerate(leaves, 1), encoding=encoding)


def _split(value: object, path: str, tables: list, leaves: list[str]) -> None:
    """Arrays of objects to ``tables``, every other leaf to ``leaves`` as ``path: value``."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        tables.append((path, value))
    elif isinstance(value, (dict, list)):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            _split(item, f"{path}.{key}" if path else str(key), tables, leaves)
    else:
        scalar = _scalar(value)
        if scalar is not None:
            line = f"{path}: {scalar}" if path else scalar
            leaves.append(_tabular.no_surrogates(line))


def _table(name: str, records: list[dict], encoding: str, ctx: ReadContext,
           table: str | None = None) -> TablePart:
    flats = [flatten(record) for record in records]
    keys: dict[str, None] = {}
    for flat in flats:
        for key in flat:
            if len(keys) >= ctx.limits.max_columns:
                break
            keys.setdefault(key)
    skipped: dict[str, int] = {}
    over = sum(1 for flat in flats for key in flat if key not in keys)
    if over:
        skipped["keys_over_limit"] = over
    rows = ([flat.get(key) for key in keys] for flat in flats)
    columns = _column_names(keys)
    return TablePart(name=name, columns=columns, has_header=True, first_row=1,
                     batches=_tabular.frames(rows, columns, ctx.limits.batch_rows),
                     encoding=encoding, skipped=skipped, table=table)


def _as_text(path: Path, name: str, encoding: str, ctx: ReadContext, why: str) -> TextPart:
    return TextPart(name=name, lines=text.lines(path, encoding, ctx.limits.max_line_chars),
                    encoding=encoding, skipped={why: 1})
