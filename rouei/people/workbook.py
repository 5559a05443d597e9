"""An XLSX people list read as it streams: one row at a time, whatever the sheet's size.

python-calamine and openpyxl were measured on a 200,000-row export (docs/benchmarks.md,
"Session 10: XLSX import"): calamine loads the sheet whole, and openpyxl's read-only mode keeps
every shared string as a Python object (both grow with the sheet) and is far slower. Here the
sheet's XML is parsed as it is inflated (lxml's ``iterparse``, each row dropped once read),
and the shared strings (the text of every cell, in Excel's files) are written to an anonymous
temporary file beside the workbook (no name on disk: gone with the process, even killed) and
read back by offset, a small cache of short ones in front: memory holds 8 bytes per distinct
string, not the strings.

Cells come as Python values: ``str``, ``int`` (a number without a fraction: a phone that lost
its leading 0, a postal code), ``float``, ``bool``, ``datetime.date`` (a number with a date
format: Excel's serial, in the 1900 or the 1904 date system), or ``None`` (empty).

Pure reading: no Django.
"""

from __future__ import annotations

import array
import datetime as dt
import os
import posixpath
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from rouei.scanning.readers._base import Limits, ReadContext
from rouei.scanning.readers.zipfile_reader import check_package

MAIN_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                   "http://purl.oclc.org/ooxml/spreadsheetml/main")  # transitional, strict
REL_NAMESPACES = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                  "http://purl.oclc.org/ooxml/officeDocument/relationships")
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
DIGITS = "0123456789"
HIDDEN_STATES = frozenset({"hidden", "veryHidden"})  # a sheet's ``state`` (ECMA-376 18.18.68)
READ_BYTES = 1 << 16
SMALL_PART_BYTES = 64 << 20  # the workbook, relationships and styles parts, read whole
CACHED_STRINGS = 4096
CACHED_BYTES = 96  # 32 characters of Japanese
# Built-in number formats that show a date (ECMA-376 18.8.30, and the Japanese 和暦 ones).
DATE_FORMAT_IDS = frozenset({*range(14, 18), 22, *range(27, 37), *range(50, 59)})
_NOT_A_DATE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


CORRUPT = "XLSX が壊れているため読めません（ZIP の中身を展開できません）"
# What a damaged ZIP raises as it is read: a bad header or CRC, a broken deflate stream, a
# member cut short, an unknown compression or a ZIP password.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
              RuntimeError, ValueError)


class WorkbookError(Exception):
    """The workbook as a whole cannot be read; the message is for a person (Japanese)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _refuse_package(path: Path) -> None:
    """A zip bomb is refused before anything is inflated (the scanner's limits)."""
    refusal = check_package(path, path.name, ReadContext.start(Limits()))
    if refusal is not None:
        raise WorkbookError(refusal.code, "XLSX を読みません: " + refusal.reason.split(" / ")[0])


class _Bounded:
    """A ZIP member's stream that refuses to inflate past its declared size (a bomb that lies
    about its size)."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo):
        try:
            self._stream = archive.open(info)
        except ZIP_ERRORS:
            raise WorkbookError("corrupt", CORRUPT) from None
        self.size = info.file_size
        self._left = info.file_size

    def read(self, size: int = READ_BYTES) -> bytes:
        try:
            data = self._stream.read(size)
        except ZIP_ERRORS:
            raise WorkbookError("corrupt", CORRUPT) from None
        self._left -= len(data)
        if self._left < 0:
            raise WorkbookError("zip_bomb", "XLSX を読みません: 宣言より大きく展開される部品が"
                                            "あります（圧縮爆弾の疑い）")
        return data

    @property
    def done(self) -> float:
        """The share of the member inflated so far."""
        return 1 - self._left / self.size if self.size else 1.0

    def close(self) -> None:
        self._stream.close()


def _elements(stream: _Bounded, tag: str) -> Iterator:
    """The elements named ``tag`` (``{*}row``), each once it is complete, and dropped from the
    tree after the caller has seen it: memory holds one element at a time."""
    elements = etree.iterparse(stream, events=("end",), tag=tag, resolve_entities=False,
                               no_network=True, huge_tree=False, remove_comments=True)
    try:
        for _event, element in elements:
            yield element
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.LxmlError:
        raise WorkbookError("corrupt", "XLSX の中身（XML）が壊れているため読めません") from None
    finally:
        stream.close()


class _SharedStrings:
    """The workbook's shared strings in an anonymous temporary file, read back by index."""

    def __init__(self, stream: _Bounded, folder: Path | None):
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 - closed by close()
        self._offsets = array.array("q", [0])
        out = self._file
        offset = 0
        for si in _elements(stream, "{*}si"):
            ns = si.tag[:-2]
            data = _rich_text(si, f"{ns}t", f"{ns}r").encode("utf-8")
            out.write(data)
            offset += len(data)
            self._offsets.append(offset)
        out.flush()
        self._cache: dict[int, str] = {}

    def get(self, index: int) -> str:
        """The string at ``index``; short ones (a name, a town, a fixed phone repeated on
        every row) are kept in a cache of bounded size."""
        found = self._cache.get(index)
        if found is None:
            start, end = self._offsets[index], self._offsets[index + 1]
            found = os.pread(self._file.fileno(), end - start, start).decode("utf-8")
            if end - start <= CACHED_BYTES:
                if len(self._cache) >= CACHED_STRINGS:
                    self._cache.clear()
                self._cache[index] = found
        return found

    def close(self) -> None:
        self._file.close()


def _rich_text(element, t: str, r: str) -> str:
    """A string item's text: its text and its rich-text runs, not its phonetic reading (rPh)."""
    parts = []
    for child in element:
        if child.tag == t:
            parts.append(child.text or "")
        elif child.tag == r:
            parts.extend(run.text or "" for run in child if run.tag == t)
    return _unescape("".join(parts))


def _unescape(text: str) -> str:
    """OOXML writes some characters as ``_xHHHH_`` (a carriage return: ``_x000D_``)."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _is_date_format(code: str) -> bool:
    cleaned = _NOT_A_DATE.sub("", code).casefold()
    return cleaned != "general" and any(ch in cleaned for ch in "ydg")  # g: 和暦 (ggge)


def column_index(letters: str) -> int:
    """The 0-based column of an A1 reference's letters (``A`` 0, ``Z`` 25, ``AA`` 26); the
    digits after them are ignored."""
    index = 0
    for ch in letters:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
        else:
            break
    return index - 1


def column_letters(index: int) -> str:
    """The letters of the 0-based column ``index`` in an A1 reference: ``column_index``'s
    inverse (the workbooks the tests and benchmarks write use it)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Workbook:
    """An opened XLSX: its worksheets' names, and the rows of one of them."""

    def __init__(self, path: Path):
        self.path = path
        _refuse_package(path)
        try:
            self._zip = zipfile.ZipFile(path)
            self._parts = {info.filename: info for info in self._zip.infolist()}
        except ZIP_ERRORS:
            raise WorkbookError("corrupt", CORRUPT) from None
        self._strings: _SharedStrings | None = None
        self._reading: _Bounded | None = None
        try:
            self._read_workbook()
        except WorkbookError:
            self.close()
            raise

    # -- the package -------------------------------------------------------------------------

    def _xml(self, name: str):
        """A small part (the workbook, its relationships, the styles) parsed whole."""
        info = self._parts.get(name)
        if info is None:
            return None
        if info.file_size > SMALL_PART_BYTES:
            raise WorkbookError("too_large", f"XLSX の部品 {name[:60]} が大きすぎます")
        stream = _Bounded(self._zip, info)
        try:
            return etree.fromstring(stream.read(SMALL_PART_BYTES + 1), etree.XMLParser(
                resolve_entities=False, no_network=True, remove_comments=True))
        except etree.LxmlError:
            raise WorkbookError("corrupt", "XLSX の中身（XML）が壊れているため読めません") \
                from None
        finally:
            stream.close()

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """A part's relationships: id → (type's last word, target part name)."""
        folder, name = posixpath.split(part)
        rels = self._xml(posixpath.join(folder, "_rels", name + ".rels"))
        found = {}
        for rel in rels.iter(PACKAGE_RELS) if rels is not None else ():
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
        return found

    def _read_workbook(self) -> None:
        if "EncryptedPackage" in self._parts or "EncryptionInfo" in self._parts:
            raise WorkbookError("encrypted", ENCRYPTED)
        book_part = next((target for kind, target in self._relations("").values()
                          if kind == "officeDocument"), "xl/workbook.xml")
        book = self._xml(book_part)
        if book is None or not book.tag.endswith("}workbook"):
            raise WorkbookError("not_xlsx", "Excel ブック（XLSX）ではありません（Word などほかの"
                                            "形式の ZIP か、壊れたファイルです）")
        self.main = book.tag[1:].split("}", 1)[0]
        if self.main not in MAIN_NAMESPACES:
            raise WorkbookError("not_xlsx", "Excel ブック（XLSX）の形式ではありません")
        rels = self._relations(book_part)
        ns = f"{{{self.main}}}"
        self.sheets: dict[str, str] = {}
        hidden = set()
        for sheet in book.iter(f"{ns}sheet"):
            rid = next((sheet.get(f"{{{r}}}id") for r in REL_NAMESPACES
                        if sheet.get(f"{{{r}}}id")), "")
            kind, target = rels.get(rid, ("", ""))
            if kind == "worksheet" and target in self._parts:
                self.sheets[sheet.get("name", "")] = target
                if sheet.get("state") in HIDDEN_STATES:
                    hidden.add(sheet.get("name", ""))
        # Sheets hidden in Excel (右クリック → 非表示, or only by a macro: veryHidden): a
        # person who opens the workbook does not see them.
        self.hidden: frozenset[str] = frozenset(hidden)
        if not self.sheets:
            raise WorkbookError("no_sheet", "XLSX にワークシートがありません")
        properties = book.find(f"{ns}workbookPr")
        date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        self._epoch = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
        self._strings_part = next((t for kind, t in rels.values() if kind == "sharedStrings"),
                                  None)
        styles_part = next((t for kind, t in rels.values() if kind == "styles"), None)
        self._date_styles = self._dates(self._xml(styles_part) if styles_part else None)

    def _dates(self, styles) -> frozenset[int]:
        """The cell styles (``s``) whose number format shows a date."""
        if styles is None:
            return frozenset()
        ns = f"{{{self.main}}}"
        custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "")
                  for f in styles.iter(f"{ns}numFmt")}
        xfs = styles.find(f"{ns}cellXfs")
        dates = set()
        for index, xf in enumerate(xfs if xfs is not None else ()):
            number = int(xf.get("numFmtId", 0) or 0)
            if number in DATE_FORMAT_IDS or (number in custom and _is_date_format(custom[number])):
                dates.add(index)
        return frozenset(dates)

    def date(self, serial: float) -> dt.date:
        days = int(serial)
        if self._epoch.year == 1899 and days < 60:  # Excel's 1900-02-29 that never was
            days += 1
        return self._epoch + dt.timedelta(days=days)

    @property
    def visible(self) -> list[str]:
        """The sheets a person sees in Excel, in the workbook's order."""
        return [name for name in self.sheets if name not in self.hidden]

    # -- the rows ----------------------------------------------------------------------------

    def rows(self, sheet: str) -> Iterator[tuple[int, list]]:
        """(the sheet's row number, its cells from column A) for each row with a cell."""
        if self._strings is None and self._strings_part in self._parts:
            folder = self.path.parent if os.access(self.path.parent, os.W_OK) else None
            self._strings = _SharedStrings(_Bounded(self._zip, self._parts[self._strings_part]),
                                           folder)
        ns = f"{{{self.main}}}"
        c_tag, v_tag, is_tag, t_tag, r_tag = (f"{ns}c", f"{ns}v", f"{ns}is", f"{ns}t",
                                              f"{ns}r")
        strings = self._strings.get if self._strings is not None else None
        dates = self._date_styles
        columns: dict[str, int] = {}
        number = 0
        self._reading = _Bounded(self._zip, self._parts[self.sheets[sheet]])
        for element in _elements(self._reading, f"{ns}row"):
            number = int(element.get("r") or number + 1)
            cells: list = []
            for c in element:
                if c.tag != c_tag:
                    continue
                kind = c.get("t")
                raw = None
                for child in c:
                    if child.tag == v_tag:
                        raw = child.text
                    elif child.tag == is_tag:
                        raw = _rich_text(child, t_tag, r_tag)
                if raw is None:
                    continue
                ref = c.get("r")
                if ref:
                    letters = ref.rstrip(DIGITS)
                    column = columns.get(letters)
                    if column is None:
                        column = columns[letters] = column_index(letters)
                else:
                    column = len(cells)
                if kind == "s":
                    if strings is None:
                        raise WorkbookError("corrupt", "XLSX の共有文字列がありません（壊れた"
                                                       "ファイルです）")
                    try:
                        value = strings(int(raw))
                    except (ValueError, IndexError):
                        raise WorkbookError("corrupt", f"{number} 行目のセルが壊れています") \
                            from None
                elif kind is None or kind == "n":
                    value = _number(raw, number)
                    if value is not None and int(c.get("s") or 0) in dates:
                        value = self.date(value)
                elif kind == "inlineStr":
                    value = raw
                elif kind in ("str", "e"):
                    value = _unescape(raw)
                elif kind == "b":
                    value = raw.strip() == "1"
                elif kind == "d":
                    value = raw[:10]  # an ISO 8601 date cell
                else:
                    continue  # not a kind of cell of the standard
                if column >= len(cells):
                    cells.extend([None] * (column - len(cells) + 1))
                cells[column] = value
            if any(v is not None and v != "" for v in cells):
                yield number, cells

    @property
    def done(self) -> float:
        """The share of the sheet being read that has been read."""
        return self._reading.done if self._reading is not None else 0.0

    def close(self) -> None:
        if self._strings is not None:
            self._strings.close()
            self._strings = None
        zip_file = getattr(self, "_zip", None)
        if zip_file is not None:
            zip_file.close()


def _number(raw: str, row: int) -> int | float | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise WorkbookError("corrupt", f"{row} 行目の数値のセルが壊れています") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise WorkbookError("corrupt", f"{row} 行目の数値のセルが壊れています")
    return int(value) if value.is_integer() else value


ENCRYPTED = ("パスワードで保護された Excel ブックです。Excel でパスワードを外して保存し直してから"
             "取り込んでください")
