"""Reading a rendered document back as its reader would: the Word file's paragraphs and table
cells (python-docx), the PDF's text layer (pdftotext, Debian poppler-utils)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from docx import Document


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed; ./run test installs it")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content,
                          capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Without line breaks and spaces: a PDF wraps long values anywhere."""
    return "".join(text.split())


READERS = {"docx": docx_text, "pdf": pdf_text}
