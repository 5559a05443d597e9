"""The shapes that pass between readers, detectors, the engine and the report.

Readers turn a file into *parts*: a ``TablePart`` (records with named or numbered columns, read
in batches so memory stays bounded) or a ``TextPart`` (decoded lines). Containers (ZIP, .eml)
yield the parts of what they hold, named ``outer.zip!/inner.csv``. Detectors find items in
values and text. The engine turns both into ``Finding`` rows and counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True, slots=True)
class TablePart:
    """Tabular records. ``batches`` yields DataFrames whose columns are all strings (Utf8),
    named as ``columns`` says; ``first_row`` is the spreadsheet row number of the first record
    (2 with a header row, 1 without; for JSON Lines the line number of the first record)."""

    name: str  # path relative to the scanned folder; ``a.zip!/b.csv`` inside containers
    columns: tuple[str, ...]  # header texts, dotted keys for nested JSON, or "0", "1" … without
    has_header: bool
    first_row: int
    batches: Iterator[pl.DataFrame]
    encoding: str | None = None
    # For JSON Lines and similar: the row number of each record if they are not consecutive.
    # It names an extra Int64 column in every batch, not listed in ``columns``.
    row_numbers_column: str | None = None
    # Records left out while reading, and what could not be decoded in those kept, by reason
    # ("bad_json_line", "replaced_characters", … : report.SKIPPED_REASONS); filled in as the
    # batches are consumed, so read it after them.
    skipped: dict[str, int] = field(default_factory=dict)
    # Where inside the file (see ``Finding``): set by the readers (sheet, table) and the
    # dispatcher (file, member).
    file: str = ""
    member: str | None = None
    sheet: str | None = None
    table: str | None = None


@dataclass(frozen=True, slots=True)
class TextPart:
    """Decoded text, line by line: ``lines`` yields (1-based line number, line without its
    line break or trailing CR)."""

    name: str
    lines: Iterator[tuple[int, str]]
    encoding: str | None = None
    # Lines left out or text shapes not read as such, and characters no encoding could decode,
    # by reason (report.SKIPPED_REASONS); filled in as lines are consumed.
    skipped: dict[str, int] = field(default_factory=dict)
    # Where inside the file (see ``Finding``): set by the readers (sheet, table) and the
    # dispatcher (file, member).
    file: str = ""
    member: str | None = None
    sheet: str | None = None
    table: str | None = None
    # A mail: its first ``headers`` lines are header fields (From: …), and ``thread`` holds the
    # hashed keys that join it to the other mails of its thread (prose.thread_keys).
    headers: int = 0
    thread: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A file or member that could not be read; the scan goes on."""

    name: str
    # stable: "encoding", "corrupt", "zip_bomb", "too_deep", "too_large", "unsupported",
    # "encrypted", "no_text" (a PDF without a text layer), "io" (see readers.CODES). The report
    # adds "partly_unreadable" for a part read with losses (its ``skipped``: report.py).
    code: str
    reason: str  # for a person, Japanese first: "ZIP の展開後サイズが上限を超えています / …"
    # Where inside the file (see ``Finding``): set by the readers (sheet, table) and the
    # dispatcher (file, member).
    file: str = ""
    member: str | None = None
    sheet: str | None = None
    table: str | None = None


Part = TablePart | TextPart | Unreadable


@dataclass(frozen=True, slots=True)
class Match:
    """A detector's hit in one string: code-point offsets into that string (end exclusive)."""

    category: str  # catalogue id (rouei.domain.items)
    start: int
    end: int
    value: str  # the matched original text; never logged or written unless --show-values


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding as the --findings JSON Lines file writes it (the findings contract: README,
    "Findings"). ``file`` is always the path of the scanned file relative to the scanned folder
    (its own name when a file was named). Where inside it, when it holds more than one table or
    text: ``member`` — a file inside a ZIP or an attachment of an e-mail, nested ones joined by
    ``!/`` (``2024/inner.zip!/list.csv``); ``sheet`` — a workbook's sheet; ``table`` — a
    database dump's table, or the key path of an array of records in a JSON document
    (``orders``, ``data.customers``). These three keys are written only where they apply."""

    file: str
    category: str
    masked: str
    row: int | None = None  # tabular: the record number a spreadsheet shows (dump: in the table)
    column: str | None = None  # header text, dotted key, or 0-based index as text
    line: int | None = None  # text: 1-based
    start: int | None = None  # text: 0-based code-point offsets into the decoded line
    end: int | None = None
    value: str | None = field(default=None, repr=False)  # only with --show-values
    member: str | None = None
    sheet: str | None = None
    table: str | None = None

    def to_dict(self, show_values: bool = False) -> dict:
        out: dict = {"file": self.file}
        for key in ("member", "sheet", "table"):
            if (where := getattr(self, key)) is not None:
                out[key] = where
        out.update({"row": self.row, "column": self.column, "line": self.line,
                    "start": self.start, "end": self.end, "category": self.category,
                    "masked": self.masked})
        if show_values:
            out["value"] = self.value
        return out


WHERE_KEYS = ("member", "sheet", "table")


def where(part: TablePart | TextPart | Unreadable) -> dict[str, str]:
    """A part's place as the findings and the report give it: ``file`` and, where they apply,
    ``member``, ``sheet``, ``table``."""
    out = {"file": part.file or part.name}
    for key in WHERE_KEYS:
        if (value := getattr(part, key)) is not None:
            out[key] = value
    return out


def place(entry: dict) -> str:
    """One line for people naming a finding's or a report entry's place: ``file``, then
    ``!/member``, then ``#sheet`` or ``#table`` (``leak.zip!/book.xlsx#顧客``)."""
    text = str(entry.get("file", ""))
    if entry.get("member"):
        text += f"!/{entry['member']}"
    for key in ("sheet", "table"):
        if entry.get(key):
            text += f"#{entry[key]}"
    return text
