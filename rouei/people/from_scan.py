"""The registry from the scanner's findings (issue 12: "Import … from the scanner's findings of
this incident's evidence"): a table the scanner found in the evidence (a CSV, a sheet, a
database dump's table, a file inside a ZIP) is read again from the evidence store and each row
becomes a person, its columns read the way the scan classified them — so a leaked file whose
headers no alias knows (or which has none) imports as the scan understood it.

A person's items are the classified columns that have a value in their row, as for a company's
export (``rouei.people.importing.parse_row``); decoy columns the scan did not classify (order
numbers, product codes) are not imported. Pure reading: ``rouei.people.imports`` writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rouei.evidence import store
from rouei.people.importing import Column, ImportFileError, Source, check_columns
from rouei.scanning.model import TablePart
from rouei.scanning.readers import Limits, read_parts

# What makes a table a list of people the registry can hold: a column the person can be
# recognised or reached by.
IDENTITY_ITEMS = frozenset({"person_name", "name_kana", "email", "phone", "address"})
WHERE = ("file", "member", "sheet", "table")


@dataclass(frozen=True)
class ScanTable:
    """One table of a scan's report that holds people."""

    index: int  # its position in the report's ``files``: how pages and the CLI name it
    file: str
    member: str | None
    sheet: str | None
    table: str | None
    rows: int
    columns: tuple[tuple[str, str | None, str | None], ...]  # (column, category, part)

    @property
    def place(self) -> str:
        """As the report writes a place: ``file``, ``!/member``, ``#sheet``, ``:table``."""
        text = self.file
        if self.member:
            text += f"!/{self.member}"
        if self.sheet:
            text += f"#{self.sheet}"
        if self.table:
            text += f":{self.table}"
        return text

    @property
    def items(self) -> list[str]:
        return sorted({c for _, c, _ in self.columns if c})


def people_tables(report: dict | None) -> list[ScanTable]:
    """The tables of a finished scan's report with a column a person is recognised by."""
    tables = []
    for index, summary in enumerate((report or {}).get("files", ())):
        if summary.get("kind") != "table":
            continue
        columns = tuple((c["column"], c.get("category"), c.get("part"))
                        for c in summary.get("columns", ()))
        if not {category for _, category, _ in columns} & IDENTITY_ITEMS:
            continue
        tables.append(ScanTable(index, summary["file"], summary.get("member"),
                                summary.get("sheet"), summary.get("table"),
                                int(summary.get("rows") or 0), columns))
    return tables


def find_table(report: dict | None, index: int) -> ScanTable:
    for table in people_tables(report):
        if table.index == index:
            return table
    raise ImportFileError("no_such_table", "このスキャン結果に、その番号の人の表はありません")


def open_table(scan, table: ScanTable) -> Source:
    """The table read again from the evidence store, as a ``Source`` whose columns are the
    scan's classification. ``size`` is the table's row count (progress counts rows)."""
    item = next((i for i in scan.items.all() if i.original_name == table.file), None)
    if item is None:
        raise ImportFileError("evidence_gone", "スキャンした証拠ファイルが見つかりません")
    path = store.blob_path(item.sha256)
    if not path.exists():
        raise ImportFileError("evidence_gone", "スキャンした証拠ファイルの内容が保管庫にありません")
    by_column = {name: (category, part) for name, category, part in table.columns}
    # The parts stay open while the rows are read: a ZIP member's table lives in a temporary
    # file that the reader removes when it moves past it.
    parts = read_parts(path, table.file, Limits())
    for part in parts:
        if isinstance(part, TablePart) and all(
                getattr(part, key) == getattr(table, key) for key in WHERE):
            columns = [Column(name, item=by_column.get(name, (None, None))[0],
                              part=by_column.get(name, (None, None))[1])
                       for name in part.columns]
            source = Source(path=path, kind="scan", encoding=part.encoding,
                            headers=list(part.columns), columns=columns, size=table.rows,
                            _rows=_rows(part, parts))
            check_columns(source)
            return source
    raise ImportFileError("table_unreadable",
                          "スキャンした表を読み直せません（パスワード付きの ZIP は、スキャンの後は"
                          "開けません）")


def _rows(part: TablePart, parts: Iterator) -> Iterator[tuple[int, list[str], int]]:
    """(row number as the findings give it, cells, rows read so far)."""
    read = 0
    try:
        for batch in part.batches:
            numbers = (batch.get_column(part.row_numbers_column).to_list()
                       if part.row_numbers_column else None)
            for offset, row in enumerate(batch.select(list(part.columns)).iter_rows()):
                number = numbers[offset] if numbers else part.first_row + read
                read += 1
                yield number, ["" if value is None else str(value) for value in row], read
    finally:
        parts.close()
