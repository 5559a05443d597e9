"""A ``Layout`` as a PDF (fpdf2) with a Japanese TrueType font EMBEDDED (subset), so the file
reads the same on any machine and its text layer can be searched and copied.

The font: ``ROUEI_PDF_FONT`` (body) and ``ROUEI_PDF_HEADING_FONT`` (headings) name .ttf files;
otherwise IPAex明朝 / IPAexゴシック from Debian's ``fonts-ipaexfont-mincho`` and
``fonts-ipaexfont-gothic`` packages (``./run`` installs them). Without any, ``FontMissing`` says
what to install instead of a PDF with empty boxes."""

from __future__ import annotations

import os
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from rouei.documents.layout import Layout

BODY_CANDIDATES = (
    "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-mincho.ttf",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
)
HEADING_CANDIDATES = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
)


class FontMissing(RuntimeError):
    def __init__(self):
        super().__init__(
            "PDF に埋め込む日本語フォントが見つかりません。Debian/Ubuntu では "
            "`apt-get install fonts-ipaexfont-mincho fonts-ipaexfont-gothic`（./run test が導入"
            "します）、または環境変数 ROUEI_PDF_FONT に TrueType フォント（.ttf）のパスを指定して"
            "ください / no Japanese font to embed in the PDF: install Debian's "
            "fonts-ipaexfont-mincho and fonts-ipaexfont-gothic, or set ROUEI_PDF_FONT to a .ttf")


def find_fonts() -> tuple[Path, Path]:
    """(body, heading) font files; ``FontMissing`` when there is no body font."""
    body = os.environ.get("ROUEI_PDF_FONT")
    heading = os.environ.get("ROUEI_PDF_HEADING_FONT")
    body_path = Path(body) if body else next(
        (Path(p) for p in BODY_CANDIDATES if Path(p).is_file()), None)
    if body_path is None or not body_path.is_file():
        raise FontMissing
    heading_path = Path(heading) if heading else next(
        (Path(p) for p in HEADING_CANDIDATES if Path(p).is_file()), body_path)
    if not heading_path.is_file():
        heading_path = body_path
    return body_path, heading_path


MISSING_RGB = (176, 0, 32)


def render_pdf(layout: Layout) -> bytes:
    body, heading = find_fonts()
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_font("body", fname=str(body))
    pdf.add_font("heading", fname=str(heading))
    pdf.set_title(layout.title)
    pdf.set_creator("rouei")
    pdf.add_page()
    width = pdf.epw
    pdf.set_font("heading", size=15)
    pdf.multi_cell(width, 9, layout.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                   wrapmode=WrapMode.CHAR)
    pdf.set_font("body", size=9.5)
    pdf.multi_cell(width, 6, layout.subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                   wrapmode=WrapMode.CHAR)
    pdf.ln(3)
    _fields(pdf, layout.head, width)
    for section in layout.sections:
        pdf.ln(3)
        pdf.set_font("heading", size=11.5)
        text = f"{section.number}　{section.heading}" if section.number else section.heading
        if text:
            pdf.multi_cell(width, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                           wrapmode=WrapMode.CHAR)
        if section.citation:
            pdf.set_font("body", size=8.5)
            pdf.set_text_color(90, 90, 90)
            pdf.multi_cell(width, 5, f"（{section.citation}）", new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
            pdf.set_text_color(0, 0, 0)
        _fields(pdf, section.fields, width)
    if layout.notes:
        pdf.ln(4)
        pdf.set_font("body", size=9)
        for note in layout.notes:
            pdf.multi_cell(width, 5.5, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                           wrapmode=WrapMode.CHAR)
    return bytes(pdf.output())


def _fields(pdf: FPDF, fields, width: float) -> None:
    label_width = 46
    for field in fields:
        if not field.label:  # prose (a notice), not a form's field
            pdf.set_font("body", size=10)
            pdf.multi_cell(width, 6, field.value, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                           wrapmode=WrapMode.CHAR)
            continue
        pdf.set_draw_color(200, 200, 200)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        top = pdf.get_y() + 1
        pdf.set_xy(pdf.l_margin, top)
        pdf.set_font("heading", size=9)
        pdf.multi_cell(label_width, 5.5, field.label, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                       wrapmode=WrapMode.CHAR)
        label_bottom, label_page = pdf.get_y(), pdf.page
        pdf.set_xy(pdf.l_margin + label_width + 2, top)
        pdf.set_font("body", size=9.5)
        if field.missing:
            pdf.set_text_color(*MISSING_RGB)
        pdf.multi_cell(width - label_width - 2, 5.5, field.value, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
        pdf.set_text_color(0, 0, 0)
        # A value that ran onto the next page ends below where the label did.
        bottom = pdf.get_y() if pdf.page != label_page else max(pdf.get_y(), label_bottom)
        pdf.set_y(bottom + 1)
