"""Word documents (.docx) with python-docx: one ``TextPart`` whose lines are, in document
order, the paragraphs (a manual line break starts a new line) and the paragraphs of every table
cell (merged cells once, nested tables included), then text boxes, then the headers and
footers. Line numbers count these lines, not pages.

Memory: python-docx parses the document XML whole (after the package's declared sizes have
passed the ZIP limits); lines are produced lazily from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from rouei.scanning.model import Part, TextPart
from rouei.scanning.readers._base import ReadContext, corrupt
from rouei.scanning.readers.zipfile_reader import check_package


def read(path: Path, name: str, ctx: ReadContext, kind: str = "docx") -> Iterator[Part]:
    refusal = check_package(path, name, ctx)
    if refusal is not None:
        yield refusal
        return
    try:
        document = docx.Document(str(path))
    except Exception as exc:
        yield corrupt(name, exc)
        return
    yield TextPart(name=name, lines=enumerate(_lines(document), 1), encoding=None)


def _lines(document: Document) -> Iterator[str]:
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield from _paragraph(Paragraph(child, document))
        elif child.tag == qn("w:tbl"):
            yield from _table(Table(child, document))
    for box in body.iter(qn("w:txbxContent")):
        if _in_fallback(box):
            continue  # the same text box again, for old Word versions
        for paragraph in box.iter(qn("w:p")):
            yield from _paragraph(Paragraph(paragraph, document))
    for section in document.sections:
        for part in (section.header, section.footer):
            if part.is_linked_to_previous:
                continue
            for paragraph in part.paragraphs:
                yield from _paragraph(paragraph)
            for table in part.tables:
                yield from _table(table)


def _paragraph(paragraph: Paragraph) -> Iterator[str]:
    yield from paragraph.text.split("\n")


def _table(table: Table) -> Iterator[str]:
    seen: dict[int, object] = {}  # holds the elements, so their ids stay theirs
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a merged cell repeats
            seen[id(cell._tc)] = cell._tc
            for paragraph in cell.paragraphs:
                yield from _paragraph(paragraph)
            for inner in cell.tables:
                yield from _table(inner)


def _in_fallback(element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag.endswith("}Fallback"):
            return True
        parent = parent.getparent()
    return False
