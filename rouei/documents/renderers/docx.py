"""A ``Layout`` as a Word file (python-docx): title, heading lines, then per section a
two-column table (label, value) in the order of the form. Japanese text gets an East Asian
font name (Word falls back to its own Japanese font where that one is not installed)."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from rouei.documents.layout import Layout

EAST_ASIAN_FONT = "游明朝"
MISSING_COLOUR = RGBColor(0xB0, 0x00, 0x20)


def _east_asian(style) -> None:
    style.font.name = EAST_ASIAN_FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def render_docx(layout: Layout, reference: Path | None = None) -> bytes:
    """``reference``: a Word file to start from (its letterhead, headers, footers and styles;
    the body is replaced) — ``reference.docx`` beside the kind's template. The text is the
    Layout's either way, so Word and the PDF say the same."""
    if reference is None:
        return _render(Document(), layout, restyle=True)
    try:
        document = Document(str(reference))
    except Exception as exc:  # not a Word file (python-docx raises several kinds)
        raise ReferenceFailed(reference, f"not a Word (.docx) file: {exc}") from None
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):  # keep the page setup, headers and footers
            body.remove(child)
    try:
        return _render(document, layout, restyle=False)  # its own styles win
    except KeyError as exc:  # a style the layout uses is not in the file
        raise ReferenceFailed(reference, f"the Word file has no style {exc}; start from the "
                                         "file `rouei documents templates --export` writes") \
            from None


def default_reference() -> bytes:
    """An empty Word file with the styles rouei uses (``rouei documents templates --export``
    writes it as ``reference.docx``: add a letterhead, change fonts, keep the style names)."""
    document = Document()
    _restyle(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _restyle(document) -> None:
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        _east_asian(document.styles[name])
    document.styles["Normal"].font.size = Pt(10.5)


class ReferenceFailed(ValueError):
    def __init__(self, path: Path, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"{path.name}: {reason}")


def _render(document, layout: Layout, *, restyle: bool) -> bytes:
    if restyle:
        _restyle(document)
    title = document.add_heading(layout.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = document.add_paragraph(layout.subtitle)
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fields(document, layout.head)
    for section in layout.sections:
        heading = f"{section.number}　{section.heading}" if section.number else section.heading
        if heading:
            document.add_heading(heading, level=2)
        if section.citation:
            document.add_paragraph(f"（{section.citation}）")
        _fields(document, section.fields)
    for note in layout.notes:
        document.add_paragraph(note)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _fields(document, fields) -> None:
    """Labelled fields as a two-column table (a form); a field without a label is prose, one
    paragraph per line (a notice)."""
    labelled = [f for f in fields if f.label]
    if labelled:
        _table(document, labelled)
    for field in fields:
        if not field.label:
            for line in field.value.split("\n"):
                run = document.add_paragraph().add_run(line)
                if field.missing:
                    run.font.color.rgb = MISSING_COLOUR


def _table(document, fields) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for field in fields:
        row = table.add_row().cells
        row[0].text = field.label
        row[0].width = Pt(130)
        row[1].width = Pt(320)
        paragraph = row[1].paragraphs[0]
        for i, line in enumerate(field.value.split("\n")):
            run = paragraph.add_run(line)
            if field.missing:
                run.font.color.rgb = MISSING_COLOUR
            if i < field.value.count("\n"):
                run.add_break()
