"""PDF text with pypdf: one ``TextPart`` per page, named ``doc.pdf#page=3`` (the form PDF
viewers open), lines as pypdf extracts them.

An encrypted PDF that does not open with the empty password is "encrypted"; a PDF whose pages
carry no text at all (a scan) is "no_text" — it needs a person or OCR; a broken page is
"corrupt" and the other pages are still read.

Memory: pypdf reads objects on demand from the open file; one page's text at a time. (pypdf
itself caps the output of its decompression filters.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pypdf import PasswordType, PdfReader

from rouei.scanning.model import Part, TextPart
from rouei.scanning.readers._base import ReadContext, corrupt, unreadable


def read(path: Path, name: str, ctx: ReadContext, kind: str = "pdf") -> Iterator[Part]:
    with path.open("rb") as handle:
        reader: PdfReader | None = None
        try:
            reader = PdfReader(handle, strict=False)
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise PermissionError("password")
            pages = len(reader.pages)
        except Exception as exc:
            if _is_encryption_error(exc, reader):
                yield unreadable(name, "encrypted", "パスワードで保護された PDF です",
                                 "the PDF is password-protected", exc)
            else:
                yield corrupt(name, exc)
            return
        any_text = False
        for number in range(1, pages + 1):
            page_name = f"{name}#page={number}"
            try:
                text = reader.pages[number - 1].extract_text() or ""
            except Exception as exc:
                yield corrupt(page_name, exc)
                continue
            if not text.strip():
                continue
            any_text = True
            yield TextPart(name=page_name, lines=enumerate(text.splitlines(), 1))
        if not any_text:
            yield unreadable(name, "no_text",
                             "テキストを含まない PDF です (スキャン画像の可能性があります)",
                             "the PDF has no text layer (perhaps a scanned image)")


def _is_encryption_error(exc: Exception, reader: PdfReader | None) -> bool:
    if isinstance(exc, PermissionError):
        return True
    try:
        # e.g. AES without the optional cryptography package
        return reader is not None and bool(reader.is_encrypted)
    except Exception:
        return False
