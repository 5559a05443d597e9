"""Spreadsheets (Excel .xlsx/.xlsm/.xlsb/.xls, OpenDocument .ods) via python-calamine: every
worksheet is a ``TablePart`` with ``sheet`` set to the sheet's name (displayed as
``book.xlsx#Sheet1``).

Cells are text as a person sees them (integers without ".0", dates as ISO dates, TRUE/FALSE).
The header rule is the CSV one; row numbers are the sheet's own (a table starting on row 3 with a
header has its first record on row 4); without a header, columns are the 0-based index of the
sheet column (A = "0").

Memory: calamine loads one sheet at a time, whole (a sheet is bounded by Excel's 1,048,576 rows);
rows are converted and handed on in batches of ``Limits.batch_rows``. Before calamine opens an
OOXML workbook, the declared sizes of its parts are checked against the ZIP limits.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from itertools import chain, dropwhile, islice
from pathlib import Path

import python_calamine as calamine

from rouei.scanning.model import Part, TablePart, TextPart
from rouei.scanning.readers import _tabular
from rouei.scanning.readers._base import ReadContext, corrupt, unreadable
from rouei.scanning.readers.zipfile_reader import check_package


def read(path: Path, name: str, ctx: ReadContext, kind: str = "xlsx") -> Iterator[Part]:
    refusal = check_package(path, name, ctx)
    if refusal is not None:
        yield refusal
        return
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        sheets = [meta.name for meta in workbook.sheets_metadata
                  if meta.typ == calamine.SheetTypeEnum.WorkSheet]
    except calamine.PasswordError as exc:
        yield unreadable(name, "encrypted", "パスワードで保護されたブックです",
                         "the workbook is password-protected", exc)
        return
    except Exception as exc:
        yield corrupt(name, exc)
        return
    try:
        for sheet_name in sheets:
            part_name = f"{name}#{sheet_name}"
            try:
                sheet = workbook.get_sheet_by_name(sheet_name)
            except Exception as exc:
                yield dataclasses.replace(corrupt(part_name, exc), sheet=sheet_name)
                continue
            for part in _sheet_parts(sheet, part_name, ctx):
                yield dataclasses.replace(part, sheet=sheet_name)
    finally:
        workbook.close()


def _sheet_parts(sheet: calamine.CalamineSheet, name: str,
                 ctx: ReadContext) -> Iterator[TablePart | TextPart]:
    """The sheet's table; first, as text, a title or notes above its header (if any)."""
    if sheet.height == 0 or sheet.start is None:
        yield TablePart(name=name, columns=(), has_header=False, first_row=1, batches=iter(()))
        return
    start_row, start_col = sheet.start
    # calamine may or may not yield the empty rows above the used range; the first non-empty
    # row is row ``start_row`` either way.
    rows = dropwhile(lambda row: not any(row),
                     (tuple(map(_tabular.cell_text, row)) for row in sheet.iter_rows()))
    head = list(islice(rows, _tabular.HEADER_SAMPLE_ROWS + 1))
    width = max((len(row) for row in head), default=0)
    offset = 0 if width > sheet.width else start_col  # rows from column A, or from the range
    header_at = _tabular.header_row(head)
    has_header = header_at is not None
    if header_at:
        yield TextPart(name=name,
                       lines=iter(_tabular.preamble_lines(head[:header_at], start_row + 1)))
    head = head[header_at or 0:]
    columns = _tabular.column_names(head[0] if has_header else [], width, offset)
    body = chain(head[1:] if has_header else head, rows)
    yield TablePart(
        name=name, columns=columns, has_header=has_header,
        first_row=start_row + 1 + (header_at or 0) + has_header,
        batches=_tabular.frames(body, columns, ctx.limits.batch_rows))
