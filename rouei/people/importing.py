"""Reading a company's export of affected people (CSV in UTF-8 or CP932, or XLSX): header
mapping through the data-item catalogue, one row at a time into a ``ParsedRow``.

Pure reading: nothing here touches the database (``rouei.people.imports`` writes).
"""

from __future__ import annotations

import csv
import io
import itertools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import IO

from rouei.domain import items as catalogue
from rouei.people.registry import STORED_ITEMS, PersonRecord, new_reference
from rouei.people.workbook import ENCRYPTED, Workbook, WorkbookError
from rouei.scanning import identity
from rouei.scanning.readers._base import read_sample
from rouei.scanning.readers._encoding import detect

SAMPLE_BYTES = 1 << 20
# A title (顧客一覧 2026年11月30日現在), a date or blank rows may stand above the header: it
# is looked for among this many first rows.
HEADER_SEARCH_ROWS = 20
MAX_CELL_CHARS = 10_000  # a "name" longer than this is not a row of a people list

# Columns that are not data items but say something about the row.
ITEMS_HEADERS = frozenset({"items", "漏えい項目", "漏えいした項目", "漏洩項目", "対象項目"})
CONFIRMED_HEADERS = frozenset({"confirmed", "確定", "確定/可能性", "漏えい確定", "区分"})
CONTROLLER_HEADERS = frozenset({"controller", "委託元", "管理者", "事業者"})
FORMER_NAME_HEADERS = frozenset({"former_name", "旧姓", "旧氏名", "旧氏"})
# Values of a confirmed column that mean "only possibly leaked".
POSSIBLE_WORDS = frozenset({"可能性", "可能性あり", "おそれ", "恐れ", "possible", "false", "no",
                            "0", "未確定", "いいえ"})


_POSSIBLE_KEYS = frozenset(unicodedata.normalize("NFKC", w).strip().casefold()
                           for w in POSSIBLE_WORDS)


class ImportFileError(Exception):
    """The file as a whole cannot be imported (no usable header, not CSV/XLSX, unreadable)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class RowError(Exception):
    """One row cannot become a person; ``reason`` names why, never the row's values."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _key(header: str) -> str:
    return catalogue.fold_header(header)


@dataclass(frozen=True)
class Column:
    header: str
    item: str | None = None  # catalogue id
    part: str | None = None  # family/given, prefecture/…, upper/lower
    role: str | None = None  # items, confirmed, controller, former_name


def map_headers(headers: list[str]) -> list[Column]:
    """Each header's meaning: a catalogue item (through its aliases), a part of one (姓/名,
    住所1/住所2), a row attribute (items, confirmed, controller, former name), or nothing."""
    aliases = catalogue.alias_index()
    parts = {_key(h): v for h, v in catalogue.PART_HEADERS.items()}
    roles = {**{_key(h): "items" for h in ITEMS_HEADERS},
             **{_key(h): "confirmed" for h in CONFIRMED_HEADERS},
             **{_key(h): "controller" for h in CONTROLLER_HEADERS},
             **{_key(h): "former_name" for h in FORMER_NAME_HEADERS}}
    columns = []
    for header in headers:
        key = _key(header)
        if key in roles:
            columns.append(Column(header, role=roles[key]))
        elif key in parts:
            item, part = parts[key]
            columns.append(Column(header, item=item, part=part))
        elif key in aliases:
            columns.append(Column(header, item=aliases[key]))
        else:
            columns.append(Column(header))
    return columns


def header_score(cells: list[str]) -> int:
    """How many of a row's cells name a column (a catalogue item through its aliases, a part
    of one, or a row attribute): the header scores highest among the first rows."""
    return sum(1 for column in map_headers(cells) if column.item or column.role)


def find_header(rows: list[list[str]]) -> int:
    """The index in ``rows`` (the first rows of a file) of its header: the row whose cells
    name the most columns, the first of equals; the first row when none names any."""
    best, best_score = 0, 0
    for index, cells in enumerate(rows):
        score = header_score(cells)
        if score > best_score:
            best, best_score = index, score
    return best


@cache
def _items_by_name() -> dict[str, str]:
    """Catalogue id by id, Japanese label and header alias (case-folded, NFKC)."""
    by_name = dict(catalogue.alias_index())
    by_name.update({_key(i.label_ja): i.id for i in catalogue.CATALOGUE})
    by_name.update({_key(i.id): i.id for i in catalogue.CATALOGUE})
    return by_name


@lru_cache(maxsize=1024)
def _items_cell(text: str) -> frozenset[str]:
    # An export repeats the same few item lists on every row: each is read once.
    return frozenset(_item_ids(text))


def _item_ids(text: str) -> set[str]:
    """An items cell: catalogue ids or Japanese labels, separated by commas, 、 or ・."""
    by_label = _items_by_name()
    found: set[str] = set()
    normalised = unicodedata.normalize("NFKC", text)
    for sep in "、;；/|":
        normalised = normalised.replace(sep, ",")
    for token in normalised.split(","):
        token = token.strip()
        if not token:
            continue
        item = by_label.get(_key(token))
        if item is None:
            raise RowError("unknown_item", f"漏えい項目「{token[:30]}」はカタログにありません")
        found.add(item)
    return found


@dataclass
class ParsedRow:
    row: int  # the file's own row number (the header's is ``Source.header_row``)
    record: PersonRecord
    items: frozenset[str]
    confirmed: bool
    controller: str = ""


@dataclass
class Source:
    """A file opened for import: its headers, their meaning, and its rows."""

    path: Path
    kind: str  # csv / xlsx
    encoding: str | None
    headers: list[str]
    columns: list[Column]
    size: int
    _rows: Iterator[tuple[int, list[str], int]] = field(repr=False, default=iter(()))
    sheet: str | None = None  # the worksheet read (XLSX)
    # every worksheet of the workbook (XLSX): those a person sees in Excel first, then the
    # hidden ones (``hidden_sheets``), which are never read unless named
    sheets: list[str] = field(default_factory=list)
    hidden_sheets: list[str] = field(default_factory=list)
    header_row: int | None = None  # the row number of the header (below a title, if any)

    def rows(self) -> Iterator[tuple[int, list[str], int]]:
        """(row number, cells, bytes read so far)."""
        return self._rows

    @property
    def mapped(self) -> list[Column]:
        return [c for c in self.columns if c.item or c.role]

    @property
    def notes(self) -> list[str]:
        """What the person who checks the preview should know before importing."""
        if self.sheet is not None and self.sheet in self.hidden_sheets:
            return [f"シート「{self.sheet[:50]}」は非表示のシートです（Excel で開いても見えません）。"
                    "取り込む名簿で間違いないか確かめてください"]
        return []


def open_source(path: Path, sheet: str | None = None) -> Source:
    """The file opened for import; ``sheet``: the worksheet of a workbook to read (by default
    the first visible one whose header names people); refused for a CSV."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, size, sheet)
    if sheet is not None:
        raise ImportFileError("sheet_not_xlsx", SHEET_NOT_XLSX)
    if head == OLE_HEAD:
        if _encrypted_ole(path):
            raise ImportFileError("encrypted", ENCRYPTED)
        raise ImportFileError("xls", XLS)
    if path.suffix.casefold() in (".xlsx", ".xlsm"):
        raise ImportFileError("not_xlsx", "拡張子は .xlsx ですが、中身は Excel ブック（XLSX）では"
                                          "ありません（CSV なら拡張子を .csv にしてください）")
    sample = read_sample(path, SAMPLE_BYTES)
    encoding = detect(sample)
    if encoding is None:
        raise ImportFileError("unreadable", "CSV（UTF-8 または Shift_JIS/CP932）または XLSX "
                                            "として読めません")
    return _open_csv(path, size, encoding)


# Office's compound file: a workbook saved with a password (its XLSX package encrypted inside),
# or the old .xls format.
OLE_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SHEET_NOT_XLSX = ("シートを指定できるのは Excel ブック（XLSX）だけです。このファイルは XLSX では"
                  "ありません（CSV にはシートがありません）。シートの指定を外してください")
XLS = ("古い形式（.xls）の Excel ブックは読めません。Excel で「Excel ブック（*.xlsx）」として保存し"
       "直してください")


def _encrypted_ole(path: Path) -> bool:
    """A compound file holding an ``EncryptedPackage`` stream (its name is in the directory)."""
    with path.open("rb") as handle:
        return "EncryptedPackage".encode("utf-16-le") in handle.read(SAMPLE_BYTES)


class _CountingReader(io.RawIOBase):
    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        self.count += n or 0
        return n


def _open_csv(path: Path, size: int, encoding: str) -> Source:
    raw = path.open("rb")
    counter = _CountingReader(raw)
    text = io.TextIOWrapper(io.BufferedReader(counter, 1 << 16), encoding=encoding,
                            errors="replace", newline="")
    first_lines = list(itertools.islice(text, HEADER_SEARCH_ROWS))
    csv.field_size_limit(MAX_CELL_CHARS * 4)
    delimiter, header_index = _csv_layout(first_lines)
    # The file is read from its first line again (the lines above are kept): a record that
    # runs over several lines is read whole, and the records keep their numbers.
    reader = csv.reader(itertools.chain(first_lines, text), delimiter=delimiter)
    try:
        for _ in range(header_index):
            next(reader)
        headers = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raw.close()
        raise ImportFileError("bad_csv", f"CSV の {reader.line_num} 行目付近を読めません"
                                         f"（{type(exc).__name__}）") from None

    def rows() -> Iterator[tuple[int, list[str], int]]:
        try:
            for number, cells in enumerate(reader, start=header_index + 2):
                yield number, cells, counter.count
        except csv.Error as exc:
            raise ImportFileError("bad_csv", f"CSV の {reader.line_num} 行目付近を読めません"
                                             f"（{type(exc).__name__}）") from None
        finally:
            raw.close()

    columns = map_headers(headers)
    source = Source(path, "csv", encoding, headers, columns, size, rows(),
                    header_row=header_index + 1)
    try:
        check_columns(source)
    except ImportFileError:
        raw.close()
        raise
    return source


def _csv_layout(lines: list[str]) -> tuple[str, int]:
    """(delimiter, index of the header record) of a CSV from its first lines: the delimiter
    under which a row names the most columns; between equals, a tab where the first line
    has more tabs than commas."""
    first = lines[0] if lines else ""
    by_count = "\t" if first.count("\t") > first.count(",") else ","
    best = (by_count, 0, -1)
    for delimiter in (by_count, "," if by_count == "\t" else "\t"):
        try:
            records = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:  # a record cut where the lines end: the reader says so later
            continue
        index = find_header(records)
        score = header_score(records[index]) if records else 0
        if score > best[2]:
            best = (delimiter, index, score)
    return best[0], best[1]


def _open_xlsx(path: Path, size: int, sheet: str | None) -> Source:
    """The worksheet named ``sheet`` (hidden or not), or by default the first visible one whose
    header names people (``check_columns``): a hidden sheet is never read unless named. Read as
    it streams (``rouei.people.workbook``); its header is found among its first rows
    (``find_header``); rows keep the sheet's own numbers."""
    try:
        book = Workbook(path)
    except WorkbookError as exc:
        raise ImportFileError(exc.code, str(exc)) from None
    try:
        if sheet is not None:
            if sheet not in book.sheets:
                raise ImportFileError(
                    "no_such_sheet", f"シート「{sheet[:50]}」はありません（あるシート: "
                                     f"{'、'.join(n[:50] for n in list(book.sheets)[:20])}）")
            return _sheet_source(book, path, size, sheet)
        first_error = None
        for name in book.visible:
            try:
                return _sheet_source(book, path, size, name)
            except ImportFileError as exc:
                if exc.code not in ("no_identity_columns", "empty_sheet"):
                    raise
                first_error = first_error or exc
        if book.hidden:
            names = "、".join(f"「{n[:50]}」" for n in sorted(book.hidden)[:20])
            raise ImportFileError(
                "no_visible_people_sheet",
                f"名簿の見出しがある表示中のシートがありません。非表示のシート {names} は、"
                "シート名を指定したときだけ読みます")
        raise first_error or ImportFileError("no_sheet", "XLSX にワークシートがありません")
    except BaseException:
        book.close()
        raise


def _sheet_source(book: Workbook, path: Path, size: int, sheet: str) -> Source:
    rows = book.rows(sheet)
    try:
        first_rows = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    except WorkbookError as exc:
        raise ImportFileError(exc.code, str(exc)) from None
    texts = [[_cell_text(c).strip() for c in cells] for _, cells in first_rows]
    index = find_header(texts)
    headers = texts[index] if texts else []
    if not any(headers):
        rows.close()
        raise ImportFileError("empty_sheet", f"シート「{sheet[:50]}」は空です（見出し行も"
                                             "ありません）")
    header_row = first_rows[index][0]
    columns = map_headers(headers)
    dates = {i for i, c in enumerate(columns) if c.item == "birth_date"}
    below = itertools.chain(first_rows[index + 1:], rows)

    def cells() -> Iterator[tuple[int, list[str], int]]:
        try:
            for number, values in below:
                yield number, [_birth_serial(book, v) if i in dates else _cell_text(v)
                               for i, v in enumerate(values)], int(size * book.done)
        except WorkbookError as exc:
            raise ImportFileError(exc.code, str(exc)) from None
        finally:
            book.close()

    visible = book.visible
    source = Source(path, "xlsx", None, headers, columns, size, cells(), sheet=sheet,
                    sheets=visible + [n for n in book.sheets if n in book.hidden],
                    hidden_sheets=[n for n in book.sheets if n in book.hidden],
                    header_row=header_row)
    try:
        check_columns(source)
    except ImportFileError:
        rows.close()
        raise
    return source


def _birth_serial(book: Workbook, value) -> str:
    """A birth date typed as a bare number: an Excel serial (a date cell whose date format was
    lost) up to 99999 (the year 2173); a longer number is read as the text it shows
    (19850401)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 100_000:
        return book.date(value).isoformat()
    return _cell_text(value)


def _cell_text(value) -> str:
    """A cell as the CSV of the same sheet holds it: a whole number without ".0" (a phone
    typed into a number cell), a date as an ISO date."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def check_columns(source: Source) -> None:
    mapped = {c.item for c in source.columns if c.item}
    if not mapped & {"person_name", "name_kana", "email", "phone", "address"}:
        raise ImportFileError(
            "no_identity_columns",
            "氏名・カナ・メールアドレス・電話番号・住所の列が見つかりません（見出し行を確認して"
            "ください。見出しはデータ項目カタログの別名で判定します: rouei items）")


def parse_row(source: Source, number: int, cells: list[str], *,
              confirmed_default: bool = True, controller_default: str = "") -> ParsedRow:
    """One row as a person, or ``RowError`` with the reason."""
    if cells and max(map(len, cells)) > MAX_CELL_CHARS:
        raise RowError("cell_too_long", "長すぎるセルがあります")
    if "\ufffd" in "".join(cells):
        raise RowError("undecodable", "文字コードを読めない文字があります（文字化け）")
    values: dict[str, list[str]] = {}
    parts: dict[str, dict[str, str]] = {}
    items: set[str] = set()
    confirmed = confirmed_default
    controller = controller_default
    former: list[str] = []
    width = len(cells)
    for at, column in _mapped(source.columns):
        if at >= width:
            break
        cell = cells[at].strip()
        if not cell:
            continue
        if column.role == "items":
            items |= _items_cell(cell)
        elif column.role == "confirmed":
            confirmed = _key(cell) not in _POSSIBLE_KEYS
        elif column.role == "controller":
            controller = cell[:200]
        elif column.role == "former_name":
            former.append(cell)
        elif column.item and column.part:
            parts.setdefault(column.item, {})[column.part] = cell
            items.add(column.item)
        elif column.item:
            values.setdefault(column.item, []).append(cell)
            items.add(column.item)
    for item, by_part in parts.items():
        order = catalogue.PART_ORDER[item]
        joined = (" " if item in ("person_name", "name_kana") else "").join(
            by_part[p] for p in order if p in by_part)
        values.setdefault(item, []).insert(0, joined)

    name = _first(values, "person_name")
    kana = _first(values, "name_kana")
    email = _first(values, "email")
    phones = values.get("phone", [])
    birth = _first(values, "birth_date")
    postal = _first(values, "postal_code")
    address = " ".join(values.get("address", []))
    normal_email = identity.email(email) if email else None
    if email and normal_email is None:
        raise RowError("bad_email", "メールアドレスの形式ではありません")
    normal_phones = [identity.phone(p) for p in phones]
    if phones and not any(normal_phones):
        raise RowError("bad_phone", "電話番号として読めません")
    birth_iso = _birth_date(birth) if birth else ""
    if birth and birth_iso is None:
        raise RowError("bad_birth_date", "生年月日を日付として読めません")
    postal_code = _postal_code(postal) if postal else ""
    if not (name or kana) and not (email or any(normal_phones) or address):
        raise RowError("no_identity", "氏名も連絡先もありません")
    record = PersonRecord(
        ref=new_reference(), name=name, kana=kana, postal_code=postal_code or "",
        address=address, email=normal_email or "",
        phones=tuple(dict.fromkeys(p for p in normal_phones if p)),
        birth_date=birth_iso or "", former_names=tuple(former))
    return ParsedRow(number, record, frozenset(items), confirmed, controller)


_MAPPED: dict[int, tuple[list[Column], list[tuple[int, Column]]]] = {}


def _mapped(columns: list[Column]) -> list[tuple[int, Column]]:
    """(position, column) of the columns that mean something, in order, worked out once per
    import (a row's other cells are not even stripped)."""
    known = _MAPPED.get(id(columns))
    if known is None or known[0] is not columns:
        _MAPPED.clear()  # one import at a time per process: keep only the latest
        known = _MAPPED[id(columns)] = (columns, [(i, c) for i, c in enumerate(columns)
                                                  if c.item or c.role])
    return known[1]


# Birth dates and postal codes repeat across a list (the same days, the same towns): each
# distinct cell is read once per process.
_birth_date = lru_cache(maxsize=1 << 15)(identity.birth_date)
_postal_code = lru_cache(maxsize=1 << 15)(identity.postal_code)


def _first(values: dict[str, list[str]], item: str) -> str:
    found = values.get(item)
    return found[0] if found else ""


def stored_and_recorded(items: frozenset[str]) -> tuple[set[str], set[str]]:
    """(items the registry stores a value of, items recorded only as leaked)."""
    return set(items) & STORED_ITEMS, set(items) - STORED_ITEMS
