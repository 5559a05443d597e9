"""Word documents (.docx) with python-docx: one ``TextPart`` whose lines are, in document
order, the paragraphs (a manual line break starts a new line) and the paragraphs of every table
cell (merged cells once, nested tables included), then text boxes, then the headers and
footers. Line numbers count these lines, not pages.

Memory: python-docx parses the document XML whole (after the package's declared sizes have
passed the ZIP limits); lines are produced lazily from it.

Odd XML loses nothing silently. python-docx keeps entity references unexpanded (it never
resolves entities: no XXE), and a run's text then stopped at the first one; here each
reference is replaced by its internal definition (one level, never an external one) or, if it
has none, dropped and counted (``skipped["unresolved_entities"]``), and the text after it kept.
A document.xml that is not well-formed is read again with lxml's recovering parser: the
paragraphs it can make out become the lines, and its errors are counted
(``skipped["xml_errors"]``). The engine reports both as ``partly_unreadable``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from rouei.scanning.model import Part, TextPart
from rouei.scanning.readers._base import ReadContext, corrupt
from rouei.scanning.readers.zipfile_reader import check_package


def read(path: Path, name: str, ctx: ReadContext, kind: str = "docx") -> Iterator[Part]:
    refusal = check_package(path, name, ctx)
    if refusal is not None:
        yield refusal
        return
    skipped: dict[str, int] = {}
    try:
        document = docx.Document(str(path))
    except etree.XMLSyntaxError:
        lines = _recovered_lines(path, skipped)
        if lines is None:
            yield corrupt(name)
            return
        yield TextPart(name=name, lines=enumerate(lines, 1), encoding=None, skipped=skipped)
        return
    except Exception as exc:
        yield corrupt(name, exc)
        return
    _expand_entities(document.element, skipped)
    yield TextPart(name=name, lines=enumerate(_lines(document, skipped), 1), encoding=None,
                   skipped=skipped)


def _expand_entities(root, skipped: dict[str, int]) -> None:
    """Each entity reference under ``root`` replaced by its internal definition, or by nothing
    (counted) when it has none; the text after it stays where it was."""
    entities = list(root.iter(etree.Entity))
    if not entities:
        return
    dtd = root.getroottree().docinfo.internalDTD
    known = ({e.name: e.content for e in dtd.iterentities()
              if e.content is not None and not e.system_url} if dtd is not None else {})
    for entity in entities:
        value = known.get(entity.name)
        if value is None:
            skipped["unresolved_entities"] = skipped.get("unresolved_entities", 0) + 1
            value = ""
        text = value + (entity.tail or "")
        parent, previous = entity.getparent(), entity.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        elif parent is not None:
            parent.text = (parent.text or "") + text
        if parent is not None:
            parent.remove(entity)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _recovered_lines(path: Path, skipped: dict[str, int]) -> list[str] | None:
    """The paragraphs of a document.xml that is not well-formed, as far as lxml's recovering
    parser makes them out (no entities resolved, no network); None if there is none."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             huge_tree=False)
    try:
        with zipfile.ZipFile(path) as package:
            data = package.read("word/document.xml")
        root = etree.fromstring(data, parser)
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    skipped["xml_errors"] = max(1, len(parser.error_log))
    _expand_entities(root, skipped)
    lines: list[str] = []
    for paragraph in root.iter(f"{_W}p"):
        text = []
        for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
            if node.tag == f"{_W}t":
                text.append(node.text or "")
            else:
                text.append("\t" if node.tag == f"{_W}tab" else "\n")
        lines.extend("".join(text).split("\n"))
    return lines


def _lines(document: Document, skipped: dict[str, int]) -> Iterator[str]:
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
            _expand_entities(part._element, skipped)
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
