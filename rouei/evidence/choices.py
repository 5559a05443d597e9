"""Custody event kinds and detected file types.

Who may do what (証拠の取扱い), by the needs of ``rouei.core.access``:

- every member, the viewer included, sees the register: names, SHA-256, sizes, types, who
  collected what, when and from where, and each item's chain of custody;
- every member with the EDIT need (lead, legal, PR, IT/forensics, call centre) registers
  evidence and re-verifies its hash: whoever receives a piece of evidence should be able to
  preserve it at once, and a re-verification reveals nothing of the content;
- only members with HANDLE_EVIDENCE (lead, legal, IT/forensics) open the content (download) and
  record custody events (handed over, accessed, returned, disposed): evidence may hold the
  leaked personal data itself.

Notes: every member reads them; editors write them; a note is edited by its author or a
member with MANAGE (the lead).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CustodyKind(models.TextChoices):
    """The links of the chain of custody (証拠保全の記録). response-practice.md §2."""

    COLLECTED = "collected", _("Collected")
    TRANSFERRED = "transferred", _("Handed over")
    ACCESSED = "accessed", _("Accessed")
    VERIFIED = "verified", _("Hash verified")
    RETURNED = "returned", _("Returned")
    DISPOSED = "disposed", _("Disposed of")


# Entered by people; "collected" is written on registration, "verified" by the re-verification
# and "accessed" also by every download.
MANUAL_CUSTODY_KINDS = (CustodyKind.TRANSFERRED, CustodyKind.ACCESSED, CustodyKind.RETURNED,
                        CustodyKind.DISPOSED)


class VerifyResult(models.TextChoices):
    OK = "ok", _("Intact: the hash matches")
    MISMATCH = "mismatch", _("ALTERED: the hash does not match")
    MISSING = "missing", _("MISSING: the stored file is gone")


class FileType(models.TextChoices):
    """What the content is, from its first bytes (not from the name the sender gave it)."""

    PDF = "pdf", _("PDF")
    ZIP = "zip", _("ZIP archive")
    XLSX = "xlsx", _("Excel workbook (xlsx)")
    DOCX = "docx", _("Word document (docx)")
    PPTX = "pptx", _("PowerPoint (pptx)")
    OLE = "ole", _("Office 97–2003 file or Outlook message (OLE)")
    EML = "eml", _("E-mail message (eml)")
    CSV = "csv", _("CSV / TSV text")
    TEXT = "text", _("Text")
    JSON = "json", _("JSON")
    PNG = "png", _("PNG image")
    JPEG = "jpeg", _("JPEG image")
    GIF = "gif", _("GIF image")
    WEBP = "webp", _("WebP image")
    TIFF = "tiff", _("TIFF image")
    BMP = "bmp", _("BMP image")
    HEIC = "heic", _("HEIC image")
    GZIP = "gzip", _("gzip archive")
    SEVEN_ZIP = "7z", _("7-Zip archive")
    RAR = "rar", _("RAR archive")
    PCAP = "pcap", _("Network capture (pcap)")
    EVTX = "evtx", _("Windows event log (evtx)")
    SQLITE = "sqlite", _("SQLite database")
    DISK_IMAGE = "disk_image", _("Disk image")
    EMPTY = "empty", _("Empty file")
    BINARY = "binary", _("Other (binary)")


# The incident audit page's names for this app's action codes (registered in apps.py).
AUDIT_ACTIONS = {
    "evidence.add": _("Evidence registered"),
    "evidence.custody": _("Custody record added"),
    "evidence.download": _("Evidence downloaded"),
    "evidence.verify": _("Evidence hash re-verified"),
    "note.add": _("Note added"),
    "note.edit": _("Note edited"),
}
