"""The scan's summary: per file rows, columns and their items; totals; distinct people.

``ScanReport.to_dict()`` is the ``--json`` report; ``proposed_facts()`` is what the incident
takes from a scan (the items found and the number of people); ``column_table`` is the report as
one table of columns (``--csv``, the scan page's download).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rouei.domain.items import ITEMS, part_label
from rouei.scanning.model import WHERE_KEYS, place
from rouei.scanning.people import PeopleCount


@dataclass
class ColumnSummary:
    column: str
    category: str | None
    count: int = 0  # cells in which the category was found
    by_header: bool = False  # the header named it (catalogue alias)
    valid_share: float | None = None  # share of sampled non-empty values that validated
    # cells counted once what a spreadsheet did to them was undone: a lost leading 0
    # (9012345678), a date shown as its serial number (31048)
    restored: int = 0
    part: str | None = None  # part of an item split over columns: 姓 "family", 番地 "street" …
    # a mixed column (連絡先: phones and e-mails): other items → the cells that are them (not
    # in ``count``)
    also: dict[str, int] = field(default_factory=dict)
    # the header names something else (items.HEADER_VETOES id): nothing counted, though the
    # values looked like ``looked_like``
    veto: str | None = None
    looked_like: str | None = None
    # the names of the company's own people (担当者名): counted here and in the items, not people
    staff: bool = False


@dataclass
class FileSummary:
    """One table or text of a scanned file. Its place as the findings give it (model.Finding):
    ``file``, and ``member``, ``sheet``, ``table`` only where they apply."""

    file: str
    kind: str  # "table" or "text"
    encoding: str | None = None
    rows: int = 0  # records (tables) or lines (text)
    columns: list[ColumnSummary] = field(default_factory=list)
    items: Counter = field(default_factory=Counter)  # category → findings
    member: str | None = None
    sheet: str | None = None
    table: str | None = None
    # What the reader left out or could not decode, by reason (SKIPPED_REASONS), and whether
    # any of it was lost (then the unreadable list has a ``partly_unreadable`` entry for it).
    skipped: dict = field(default_factory=dict)
    partly_unreadable: bool = False

    def to_dict(self) -> dict:
        out: dict = {"file": self.file}
        for key in WHERE_KEYS:
            if (value := getattr(self, key)) is not None:
                out[key] = value
        return {
            **out, "kind": self.kind, "encoding": self.encoding, "rows": self.rows,
            "columns": [vars(c).copy() for c in self.columns],
            "items": dict(sorted(self.items.items())),
            "skipped": dict(self.skipped), "partly_unreadable": self.partly_unreadable,
        }


# The reasons a reader counts in a part's ``skipped`` (model.TablePart / TextPart), with what
# each counts. "rows" reasons add to the entry's ``rows``; "info" reasons lose nothing (the
# content was read another way) and make no ``partly_unreadable`` entry.
SKIPPED_REASONS: dict[str, tuple[str, str, str]] = {
    "replaced_bytes": ("bytes", "文字コードとして読めないバイト", "bytes no encoding could decode"),
    "replaced_characters": ("chars", "読めないバイトを置き換えた文字（�）",
                            "replacement characters for such bytes"),
    "replaced_rows": ("rows", "読めないバイトを含む行", "records holding such bytes"),
    "replaced_lines": ("rows", "読めないバイトを含む行", "lines holding such bytes"),
    "fallback_lines": ("info", "CP932 として読んだ行（UTF-8 の BOM 付きファイル）",
                       "lines read as CP932 (in a UTF-8 file with BOM)"),
    "bad_json_line": ("rows", "JSON として読めない行", "lines that are not JSON"),
    "keys_over_limit": ("other", "上限を超えた列（キー）", "keys over the column limit"),
    "json_too_large": ("info", "大きすぎるため文章として読んだ JSON", "JSON too large, read as text"),
    "invalid_json": ("other", "JSON として解析できず文章として読んだ",
                     "JSON that does not parse, read as text"),
    "binary_cells": ("other", "文字でない（バイナリの）セル", "binary cells, not text"),
    "ragged_rows": ("rows", "列数が合わない行", "rows with the wrong number of values"),
    "xml_errors": ("other", "XML の誤り（読める部分は読み取り済み）",
                   "XML errors (what could be read was read)"),
    "unresolved_entities": ("chars", "展開しない XML 実体参照", "XML entity references not expanded"),
}


def partly_unreadable(place: dict, skipped: dict) -> dict | None:
    """The unreadable-list entry for a part of which something was lost, or None: code
    ``partly_unreadable``; ``rows`` (records or lines lost or holding undecodable bytes),
    ``bytes`` (bytes the decoder replaced, where it counted them: transcoded files and text;
    else 0), ``characters`` (replacement characters U+FFFD in what was read, and XML entities
    not expanded) and ``skipped`` (every count by reason); the reason names them, Japanese
    first."""
    lost = {k: v for k, v in skipped.items()
            if v and SKIPPED_REASONS.get(k, ("other",))[0] != "info"}
    if not lost:
        return None
    kinds = {k: SKIPPED_REASONS.get(k, ("other", k, k)) for k in lost}
    ja = "、".join(f"{kinds[k][1]} {v:,}" for k, v in lost.items())
    en = ", ".join(f"{kinds[k][2]}: {v:,}" for k, v in lost.items())
    return {
        **place, "code": "partly_unreadable",
        "reason": f"一部を読めませんでした（{ja}）。件数は少なめに出ている可能性があります / "
                  f"part could not be read ({en}); counts may be low",
        "rows": sum(v for k, v in lost.items() if kinds[k][0] == "rows"),
        "bytes": sum(v for k, v in lost.items() if kinds[k][0] == "bytes"),
        "characters": sum(v for k, v in lost.items() if kinds[k][0] == "chars"),
        "skipped": dict(sorted(skipped.items())),
    }


@dataclass
class ScanReport:
    files: list[FileSummary] = field(default_factory=list)
    # {"file", "code", "reason"}, and "member", "sheet", "table" where they apply. A file that
    # was read but not whole has code "partly_unreadable" and also "rows", "characters" and
    # "skipped" (``partly_unreadable`` below); the others (readers.CODES) were not read at all.
    unreadable: list[dict] = field(default_factory=list)
    people: PeopleCount | None = None  # distinct people over the scan, tables and prose
    people_tables: PeopleCount | None = None  # of the tables alone
    people_prose: PeopleCount | None = None  # of the text parts alone (mails, notes)
    prose_staff: int = 0  # names in prose judged to write for the company: not counted
    table_staff: int = 0  # distinct names in the tables' staff columns (担当者名): not counted
    bytes_read: int = 0
    seconds: float = 0.0
    partial: bool = False  # interrupted (Ctrl-C) or stopped early: counts are lower bounds
    # Why the scan stopped before reading everything (control.ScanStopped.to_dict()):
    # {"reason": "time"|"memory"|"cancelled", "limit", "used", "detail"}; None: it did not.
    stopped: dict | None = None

    @property
    def totals(self) -> Counter:
        total: Counter = Counter()
        for summary in self.files:
            total.update(summary.items)
        return total

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files if f.kind == "table")

    def proposed_facts(self) -> dict:
        """Facts an incident can take from this scan (``rouei.domain.facts`` keys)."""
        facts: dict = {"items": sorted(k for k, v in self.totals.items() if v)}
        if self.people is not None:
            facts["people_confirmed"] = self.people.people
        return facts

    def _people_detail(self) -> dict | None:
        """``people`` in detail, and (added keys) ``tables`` and ``prose`` each counted on its
        own; ``*.staff_excluded``: distinct names left out as the company's own people (in
        prose, and in the tables' staff columns such as 担当者名)."""
        if self.people is None:
            return None
        detail = self.people.to_dict()
        if self.people_tables is not None:
            detail["tables"] = {**self.people_tables.to_dict(), "staff_excluded": self.table_staff}
        if self.people_prose is not None:
            detail["prose"] = _prose_detail(self.people_prose, self.prose_staff)
        return detail

    def to_dict(self) -> dict:
        return {
            "partial": self.partial,
            "stopped": self.stopped,
            "files": [f.to_dict() for f in self.files],
            "unreadable": list(self.unreadable),
            "totals": dict(sorted(self.totals.items())),
            "rows": self.rows,
            "people": self.people.people if self.people else None,
            "people_detail": self._people_detail(),
            "bytes": self.bytes_read,
            "seconds": round(self.seconds, 3),
            "proposed_facts": self.proposed_facts(),
        }


def _prose_detail(count: PeopleCount, staff: int) -> dict:
    return {**count.to_dict(), "staff_excluded": staff}


def column_table(report: dict, lang: str = "ja") -> tuple[list[str], list[list]]:
    """The report (``ScanReport.to_dict``) as one table: a row per classified column, per item
    found in a text file (mail, text, the notes above a sheet) and per unreadable file; what a
    compliance officer pastes into the incident file. Items by their catalogue names in
    ``lang`` ("ja" or "en")."""
    ja = lang == "ja"
    header = (["ファイル", "行数", "列", "項目", "部分", "検出数", "表計算ソフトの変換を補正", "判定"]
              if ja else ["File", "Rows", "Column", "Item", "Part", "Findings",
                          "Restored from spreadsheet conversion", "Decided by"])
    rows: list[list] = []

    def name(category: str) -> str:
        return ITEMS[category].label(lang) if category in ITEMS else category

    for f in report.get("files", ()):
        if f.get("kind") == "text":
            rows.extend([place(f), f["rows"], None, name(category), None, count, 0,
                         "文章" if ja else "text"] for category, count in f["items"].items())
            continue
        for c in f.get("columns", ()):
            category = c.get("category")
            if c.get("veto"):  # the header names something else: nothing counted
                label = (f"対象外（値は{name(c['looked_like'])}の形）" if ja else
                         f"not counted (values look like: {name(c['looked_like'])})")
            elif category is None:  # a column of prose, scanned as text
                label = "文章" if ja else "prose"
            else:
                label = name(category)
            how = (("見出し" if ja else "header") if c.get("by_header")
                   else ("値の形式" if ja else "values"))
            rows.append([place(f), f["rows"], c["column"], label,
                         part_label(c.get("part"), lang), c["count"], c.get("restored") or 0,
                         how])
            for other, count in (c.get("also") or {}).items():  # a mixed column's other items
                rows.append([place(f), f["rows"], c["column"], name(other), "", count, 0,
                             "値の形式（混在列）" if ja else "values (mixed column)"])
    for bad in report.get("unreadable", ()):
        if bad.get("code") == "partly_unreadable":
            what = "一部読めないファイル" if ja else "partly unreadable"
        else:
            what = "読めないファイル" if ja else "unreadable"
        rows.append([place(bad), None, None, what, None, None, None, bad["reason"]])
    return header, rows
