"""Which reader a file needs: content first (magic bytes, ZIP member names, e-mail headers,
a database dump's statements — also inside gzip —, JSON shape, delimiter consistency), the
extension second."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from rouei.scanning.readers import _encoding, sqldump
from rouei.scanning.readers._base import Sample, extension
from rouei.scanning.readers.zipfile_reader import declared_members

# Kinds that are not a reader: the dispatcher turns them into Unreadable.
BINARY = "binary"
ENCRYPTED_OFFICE = "encrypted_office"
LEGACY_OFFICE = "legacy_office"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"\x7fELF",
    b"\xfd7zXZ", b"II*\x00", b"MM\x00*", b"RIFF",
    b"SQLite format 3",
)
_SPREADSHEET_EXT = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
_TABLE_EXT = {".csv", ".tsv", ".tab"}
_MAIL_HEADERS = {"from", "to", "cc", "subject", "date", "message-id", "received", "return-path",
                 "mime-version", "content-type", "reply-to", "delivered-to", "x-mailer",
                 "sender", "content-transfer-encoding"}
_HEADER_LINE = re.compile(rb"([!-9;-~]+):[ \t]?")


def sniff(path: Path, name: str, sample: Sample) -> str:
    head = sample.data
    ext = extension(name)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_kind(path, ext)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(_OLE):
        if ext in _SPREADSHEET_EXT - {".xlsx", ".xlsm"}:
            return "xlsx"  # .xls (BIFF) is read by calamine as well
        if ext in {".xlsx", ".xlsm", ".docx", ".pptx"}:
            return ENCRYPTED_OFFICE  # a password-protected OOXML file is an OLE container
        return LEGACY_OFFICE
    if head.startswith(b"\x1f\x8b"):  # gzip: a compressed database dump is read
        inflated = sqldump.gzip_head(head, 256 * 1024)
        inner_ext = extension(name.removesuffix(".gz").removesuffix(".GZ"))
        if inflated and sqldump.looks_like_dump(inflated.removeprefix(b"\xef\xbb\xbf"),
                                                inner_ext):
            return "sqldump_gz"
        return BINARY
    if head.startswith(_BINARY_MAGIC):
        return BINARY
    if not head:
        return "csv" if ext in _TABLE_EXT else "text"
    text_head = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    if ext == ".eml" or _looks_like_mail(text_head):
        return "eml"
    stripped = text_head.lstrip()
    if ext in {".jsonl", ".ndjson"}:
        return "jsonl"
    if ext in _TABLE_EXT:
        return "csv"
    if sqldump.looks_like_dump(text_head, ext):
        return "sqldump"
    if stripped[:1] in (b"{", b"[") and ext != ".json":
        if _looks_like_json_lines(stripped):
            return "jsonl"
        if not sample.complete or _parses(stripped):
            return "json"  # a large one that is not JSON after all is read as text
    if ext == ".json":
        return "json"
    if _encoding.detect(sample) is None:
        # Not text. A damaged workbook or document still goes to its reader, which says why it
        # cannot be read; anything else to the text reader, which says it is not text.
        if ext in _SPREADSHEET_EXT:
            return "xlsx"
        if ext == ".docx":
            return "docx"
        return "text"
    # Text, whatever the extension: many systems export "Excel" files that are TSV or HTML.
    return "csv" if ext not in {".html", ".htm", ".xml"} and _looks_tabular(sample) else "text"


def _zip_kind(path: Path, ext: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            declared = declared_members(path)
            if declared is not None and declared > len(archive.infolist()):
                # a damaged directory that lists only some parts: a package by its name
                # says it could not be read rather than pass for a plain archive
                raise zipfile.BadZipFile("central directory lists fewer members than declared")
            mimetype = b""
            if "mimetype" in names:  # OpenDocument; read a few bytes only, never a whole member
                with archive.open("mimetype") as member:
                    mimetype = member.read(100)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError,
            RuntimeError):
        if ext in _SPREADSHEET_EXT:
            return "xlsx"
        if ext == ".docx":
            return "docx"
        return "zip"
    if {"xl/workbook.xml", "xl/workbook.bin"} & names or b"opendocument.spreadsheet" in mimetype:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return "zip"


def _looks_like_mail(head: bytes) -> bool:
    """A block of RFC 5322 header fields, some of them mail headers, up to a blank line."""
    lines = head[:16384].split(b"\n")
    known = fields = 0
    for index, raw in enumerate(lines[:200]):
        line = raw.rstrip(b"\r")
        if not line:
            return fields >= 2 and known >= 2
        if index == 0 and line.startswith(b"From "):
            continue  # mbox separator line
        if line[:1] in (b" ", b"\t") and fields:
            continue  # folded continuation
        match = _HEADER_LINE.match(line)
        if not match:
            return False
        fields += 1
        known += match.group(1).decode("ascii").lower() in _MAIL_HEADERS
    return fields >= 4 and known >= 3


def _looks_like_json_lines(head: bytes) -> bool:
    """Two or more lines, the first a JSON object or array on its own."""
    lines = [line for line in head.split(b"\n", 3)[:3] if line.strip()]
    if len(lines) < 2 or lines[1].lstrip()[:1] not in (b"{", b"["):
        return False
    try:
        json.loads(lines[0])
    except ValueError:
        return False
    return True


def _parses(data: bytes) -> bool:
    try:
        json.loads(data)
    except (ValueError, RecursionError):
        return False
    return True


def _looks_tabular(sample: Sample) -> bool:
    """At least three lines with the same non-zero count of one delimiter (nine in ten)."""
    encoding = _encoding.detect(sample)
    if encoding is None:
        return False
    lines = [line for line in _encoding.decode_sample(sample, encoding).splitlines()[:200]
             if line.strip()]
    if len(lines) < 3:
        return False
    for delimiter in (",", "\t", ";", "|"):
        counts = [line.count(delimiter) for line in lines]
        mode = max(set(counts), key=counts.count)
        if mode and counts.count(mode) / len(counts) >= 0.9:
            return True
    return False
