"""What an evidence file is, from its content (magic bytes), never from its name.

Evidence may be of any type, so nothing is refused here: an unknown file is ``binary``
(``application/octet-stream``), and disk images are recognised but also served as
``application/octet-stream``. The detected type is recorded as data; downloads are always
attachments whatever it says (see ``views.download``).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from rouei.evidence.choices import FileType

HEAD_BYTES = 64 * 1024  # enough for every signature below (an ISO's is at 32 KiB)

MEDIA_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.ZIP: "application/zip",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    FileType.OLE: "application/x-ole-storage",
    FileType.EML: "message/rfc822",
    FileType.CSV: "text/csv",
    FileType.TEXT: "text/plain",
    FileType.JSON: "application/json",
    FileType.PNG: "image/png",
    FileType.JPEG: "image/jpeg",
    FileType.GIF: "image/gif",
    FileType.WEBP: "image/webp",
    FileType.TIFF: "image/tiff",
    FileType.BMP: "image/bmp",
    FileType.HEIC: "image/heic",
    FileType.GZIP: "application/gzip",
    FileType.SEVEN_ZIP: "application/x-7z-compressed",
    FileType.RAR: "application/vnd.rar",
    FileType.PCAP: "application/vnd.tcpdump.pcap",
    FileType.EVTX: "application/octet-stream",
    FileType.SQLITE: "application/vnd.sqlite3",
    FileType.DISK_IMAGE: "application/octet-stream",
    FileType.EMPTY: "application/octet-stream",
    FileType.BINARY: "application/octet-stream",
}

_PREFIXES: tuple[tuple[bytes, FileType], ...] = (
    (b"%PDF-", FileType.PDF),
    (b"\x89PNG\r\n\x1a\n", FileType.PNG),
    (b"\xff\xd8\xff", FileType.JPEG),
    (b"GIF87a", FileType.GIF),
    (b"GIF89a", FileType.GIF),
    (b"II*\x00", FileType.TIFF),
    (b"MM\x00*", FileType.TIFF),
    (b"BM", FileType.BMP),
    (b"\x1f\x8b", FileType.GZIP),
    (b"7z\xbc\xaf\x27\x1c", FileType.SEVEN_ZIP),
    (b"Rar!\x1a\x07", FileType.RAR),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", FileType.OLE),
    (b"\xd4\xc3\xb2\xa1", FileType.PCAP),
    (b"\xa1\xb2\xc3\xd4", FileType.PCAP),
    (b"\x4d\x3c\xb2\xa1", FileType.PCAP),
    (b"\xa1\xb2\x3c\x4d", FileType.PCAP),
    (b"\x0a\x0d\x0d\x0a", FileType.PCAP),  # pcapng
    (b"ElfFile\x00", FileType.EVTX),
    (b"SQLite format 3\x00", FileType.SQLITE),
    # Forensic and virtual-machine disk images: EWF/E01, AFF, QCOW2, VHDX, VMDK (sparse), VDI.
    (b"EVF\x09\x0d\x0a\xff\x00", FileType.DISK_IMAGE),
    (b"LVF\x09\x0d\x0a\xff\x00", FileType.DISK_IMAGE),
    (b"AFF10\r\n\x00", FileType.DISK_IMAGE),
    (b"QFI\xfb", FileType.DISK_IMAGE),
    (b"vhdxfile", FileType.DISK_IMAGE),
    (b"KDMV", FileType.DISK_IMAGE),
    (b"conectix", FileType.DISK_IMAGE),  # VHD whose footer copy comes first
)
_MAIL_HEADERS = (b"from:", b"to:", b"subject:", b"date:", b"message-id:", b"received:",
                 b"return-path:", b"mime-version:", b"delivered-to:", b"reply-to:",
                 b"content-type:", b"x-mailer:")
_TEXT_ENCODINGS = ("utf-8", "cp932", "euc-jp", "iso-2022-jp")


def detect(path: Path) -> FileType:
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    return detect_head(head, path)


def detect_head(head: bytes, path: Path | None = None) -> FileType:
    if not head:
        return FileType.EMPTY
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_kind(path, head)
    for prefix, kind in _PREFIXES:
        if head.startswith(prefix):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileType.WEBP
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1"):
        return FileType.HEIC
    if b"%PDF-" in head[:1024]:
        return FileType.PDF
    if len(head) >= 0x8006 and head[0x8001:0x8006] == b"CD001":
        return FileType.DISK_IMAGE  # ISO 9660
    if len(head) >= 512 and head[510:512] == b"\x55\xaa" and _not_text(head):
        return FileType.DISK_IMAGE  # a raw (dd) image starting with an MBR or boot sector
    text = _as_text(head)
    if text is None:
        return FileType.BINARY
    return _text_kind(text)


def media_type(kind: str) -> str:
    return MEDIA_TYPES.get(FileType(kind), "application/octet-stream")


def _zip_kind(path: Path | None, head: bytes) -> FileType:
    names: list[str] = []
    if path is not None:
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()[:2000]
        except (zipfile.BadZipFile, OSError, ValueError):
            names = []
    if not names:  # damaged, or only the head known: look at the first members' names
        blob = head[:HEAD_BYTES]
        names = [n for n in ("xl/", "word/", "ppt/") if n.encode() in blob]
    if any(n.startswith("xl/") for n in names):
        return FileType.XLSX
    if any(n.startswith("word/") for n in names):
        return FileType.DOCX
    if any(n.startswith("ppt/") for n in names):
        return FileType.PPTX
    return FileType.ZIP


def _not_text(head: bytes) -> bool:
    return b"\x00" in head[:512]


def _as_text(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    # A head cut at HEAD_BYTES may end inside a multi-byte character.
    cuts = (0,) if len(head) < HEAD_BYTES else (0, 1, 2, 3)
    for encoding in _TEXT_ENCODINGS:
        for cut in cuts:
            try:
                text = head[:len(head) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
            controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n\f\x1b")
            return text if controls <= len(text) // 100 else None
    return None


def _text_kind(text: str) -> FileType:
    body = text.lstrip("\ufeff")
    stripped = body.lstrip()
    lines = [line for line in body.splitlines()[:20] if line.strip()]
    if lines and _looks_like_mail(lines):
        return FileType.EML
    if stripped[:1] in ("{", "["):
        return FileType.JSON
    if _looks_tabular(lines):
        return FileType.CSV
    return FileType.TEXT


def _looks_like_mail(lines: list[str]) -> bool:
    headers = [line for line in lines[:10] if line.lower().encode().startswith(_MAIL_HEADERS)]
    return len(headers) >= 2 and lines[0].lower().encode().startswith(_MAIL_HEADERS)


def _looks_tabular(lines: list[str]) -> bool:
    if len(lines) < 2:
        return False
    complete = lines[:-1] if len(lines) > 2 else lines  # the last line may be cut off
    for delimiter in (",", "\t"):
        counts = {line.count(delimiter) for line in complete}
        if len(counts) == 1 and counts.pop() >= 1:
            return True
    return False
