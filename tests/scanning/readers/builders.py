"""Synthetic test files for the reader tests, built in memory (no fixtures on disk, no extra
dependencies): customer rows from Faker's ja_JP locale, a CSV as Excel saves it, a minimal
hand-written XLSX, a PDF with a Japanese text layer, an e-mail with an attachment, …"""

from __future__ import annotations

import csv
import io
import json
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl
from faker import Faker

from rouei.people.workbook import column_letters
from rouei.scanning.model import Part, TablePart, TextPart, Unreadable
from rouei.scanning.readers import Limits, read_parts

HEADER = ["氏名", "フリガナ", "電話番号", "メールアドレス", "住所", "生年月日"]


def customers(n: int, seed: int = 4) -> list[list[str]]:
    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    return [[fake.name(), fake.kana_name(), fake.phone_number(), fake.email(),
             fake.address(), fake.date_of_birth().isoformat()] for _ in range(n)]


def csv_text(rows: Iterable[Iterable[str]], delimiter: str = ",",
             lineterminator: str = "\r\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return buffer.getvalue()


def excel_cp932_csv(rows: list[list[str]]) -> bytes:
    """As Excel's 「CSV (コンマ区切り)」 saves: CP932, CRLF, quotes only where needed."""
    return csv_text(rows).encode("cp932")


# Collecting parts ---------------------------------------------------------------------------

@dataclass
class Read:
    """A part with its contents taken out (batches concatenated, lines listed)."""

    part: Part
    frame: pl.DataFrame | None = None
    lines: list[tuple[int, str]] | None = None

    @property
    def name(self) -> str:
        return self.part.name

    @property
    def code(self) -> str | None:
        return self.part.code if isinstance(self.part, Unreadable) else None

    def row_number(self, index: int) -> int:
        """The spreadsheet row number of the record at 0-based ``index``."""
        part = self.part
        assert isinstance(part, TablePart) and self.frame is not None
        if part.row_numbers_column:
            return int(self.frame[part.row_numbers_column][index])
        return part.first_row + index


DEFAULT = Limits()


def collect(path: Path, name: str | None = None, limits: Limits = DEFAULT) -> list[Read]:
    """Every part of a file, consumed in order as the engine does."""
    out: list[Read] = []
    for part in read_parts(path, name or path.name, limits):
        if isinstance(part, TablePart):
            batches = list(part.batches)
            for batch in batches:
                assert batch.height <= limits.batch_rows
            frame = pl.concat(batches) if batches else pl.DataFrame(
                schema=dict.fromkeys(part.columns, pl.String))
            out.append(Read(part, frame=frame))
        elif isinstance(part, TextPart):
            out.append(Read(part, lines=list(part.lines)))
        else:
            out.append(Read(part))
    return out


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# XLSX (hand-written OOXML: no writer library is installed) ------------------------------------

def _cell(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, tuple) and value[0] == "date":  # an Excel serial with a date format
        return f'<c r="{ref}" s="1"><v>{value[1]}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def xlsx(sheets: dict[str, list[list[object]]], first_row: int = 1,
         hidden: dict[str, str] | None = None) -> bytes:
    """A minimal but valid workbook; ``first_row`` puts the data lower on each sheet;
    ``hidden``: sheet name → its state (``hidden``, ``veryHidden``)."""
    hidden = hidden or {}
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    types = [(f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
              'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
              f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
              f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>')]
    book = [f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>']
    rels = [f'<Relationships xmlns="{package}">']
    parts = {}
    for number, (name, rows) in enumerate(sheets.items(), 1):
        types.append(f'<Override PartName="/xl/worksheets/sheet{number}.xml" '
                     f'ContentType="{ct}.worksheet+xml"/>')
        state = f' state="{hidden[name]}"' if name in hidden else ""
        book.append(f'<sheet name="{escape(name)}" sheetId="{number}"{state} '
                    f'r:id="rId{number}"/>')
        rels.append(f'<Relationship Id="rId{number}" Type="{rel}/worksheet" '
                    f'Target="worksheets/sheet{number}.xml"/>')
        body = "".join(
            f'<row r="{r}">' + "".join(_cell(f"{column_letters(c)}{r}", v)
                                       for c, v in enumerate(row)) + "</row>"
            for r, row in enumerate(rows, first_row))
        parts[f"xl/worksheets/sheet{number}.xml"] = (
            f'{xml}<worksheet xmlns="{main}"><sheetData>{body}</sheetData></worksheet>')
    rels.append(f'<Relationship Id="rId{len(sheets) + 1}" Type="{rel}/styles" '
                'Target="styles.xml"/>')
    styles = (f'{xml}<styleSheet xmlns="{main}"><fonts count="1"><font/></fonts>'
              '<fills count="1"><fill/></fills><borders count="1"><border/></borders>'
              '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2">'
              '<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
              '</styleSheet>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", xml + "".join(types) + "</Types>")
        archive.writestr("_rels/.rels", f'{xml}<Relationships xmlns="{package}">'
                         f'<Relationship Id="rId1" Type="{rel}/officeDocument" '
                         'Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", xml + "".join(book) + "</sheets></workbook>")
        archive.writestr("xl/_rels/workbook.xml.rels", xml + "".join(rels) + "</Relationships>")
        archive.writestr("xl/styles.xml", styles)
        for part_name, content in parts.items():
            archive.writestr(part_name, content)
    return buffer.getvalue()


# PDF (hand-written: a Type0 font with a ToUnicode map, so Japanese text extracts) ------------

def pdf(pages: list[list[str]]) -> bytes:
    chars = sorted({ch for page in pages for line in page for ch in line})
    glyph = {ch: i + 1 for i, ch in enumerate(chars)}
    mapping = "\n".join(f"<{glyph[ch]:04X}> <{ord(ch):04X}>" for ch in chars)
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def "
            "1 begincodespacerange <0000> <FFFF> endcodespacerange "
            f"{max(len(chars), 1)} beginbfchar\n{mapping or '<0001> <0020>'}\nendbfchar "
            "endcmap CMapName currentdict /CMap defineresource pop end end").encode()
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes) -> bytes:
        return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    catalog, pages_id = add(b""), add(b"")
    to_unicode = add(stream(cmap))
    descendant = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Synthetic /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor "
        b"<< /Type /FontDescriptor /FontName /Synthetic /Flags 4 /FontBBox [0 0 1000 1000] "
        b"/ItalicAngle 0 /Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80 >> /DW 1000 >>")
    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /Synthetic /Encoding /Identity-H "
               b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (descendant, to_unicode))
    kids = []
    for page in pages:
        ops = ["BT /F1 12 Tf 14 TL 50 800 Td"]
        ops += ["<" + "".join(f"{glyph[ch]:04X}" for ch in line) + "> Tj T*" for line in page]
        ops.append("ET")
        content = add(stream("\n".join(ops).encode()))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources "
                        b"<< /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages_id, font, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids), len(kids))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, xref)
    return bytes(out)


# DOCX, Parquet, e-mail, ZIP -------------------------------------------------------------------

def docx_bytes(paragraphs: list[str], table: list[list[str]]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def mail_with_attachment(attachment: bytes, filename: str = "顧客一覧.csv") -> bytes:
    message = EmailMessage()
    message["From"] = "山田 太郎 <taro@example.jp>"
    message["To"] = "鈴木 花子 <hanako@example.jp>"
    message["Subject"] = "顧客リストの送付"
    message.set_content("お世話になっております。\n顧客リストを送付します。\n電話 090-1234-5678\n")
    message.add_attachment(attachment, maintype="text", subtype="csv", filename=filename)
    return message.as_bytes()


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def json_lines(records: list[object]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def zipcrypto_zip(members: dict[str, bytes], password: bytes) -> bytes:
    """A ZIP whose members are stored and encrypted with ZipCrypto (PKWARE's traditional
    encryption, what Windows and most PPAP tools write): zipfile can read but not write one."""
    mask = 0xFFFFFFFF

    def crc_byte(crc: int, byte: int) -> int:  # one step of the CRC-32 table, no inversion
        return zlib.crc32(bytes([byte]), crc ^ mask) ^ mask

    def cipher(data: bytes) -> bytes:
        keys = [0x12345678, 0x23456789, 0x34567890]

        def update(byte: int) -> None:
            keys[0] = crc_byte(keys[0], byte)
            keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & mask
            keys[2] = crc_byte(keys[2], keys[1] >> 24)

        for byte in password:
            update(byte)
        out = bytearray()
        for byte in data:
            temp = (keys[2] | 2) & 0xFFFF
            out.append(byte ^ ((temp * (temp ^ 1)) >> 8) & 0xFF)
            update(byte)
        return bytes(out)

    body, directory = bytearray(), bytearray()
    for name, data in members.items():
        crc = zlib.crc32(data)
        sealed = cipher(bytes(11) + bytes([crc >> 24]) + data)  # 12-byte header, then the data
        raw = name.encode()
        fields = struct.pack("<HHHHHIIIHH", 20, 0x801, 0, 0, 0x21, crc, len(sealed), len(data),
                             len(raw), 0)
        offset = len(body)
        body += b"PK\x03\x04" + fields + raw + sealed
        directory += (b"PK\x01\x02" + struct.pack("<H", 20) + fields
                      + struct.pack("<HHHII", 0, 0, 0, 0, offset) + raw)
    end = struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(directory), len(body), 0)
    return bytes(body + directory + b"PK\x05\x06" + end)
