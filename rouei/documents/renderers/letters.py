"""Notice letters as one PDF (fpdf2, the Japanese font embedded as in ``pdf.py``): each
person's letter starts on a new page and every page carries its reference number, so that the
pages of one letter stay together when they are folded and put in envelopes.

A letter is the text rendered from the notice template ``letter.txt``; its blocks, separated by
blank lines, are read in the order a Japanese business letter has them: the addressee (〒, the
address and the name, placed where a window envelope (長形3号) shows it), the date and the
sender (right-aligned), the title (centred), then the body, in which a line that starts with
「■」 is a heading. An administrator who adapts the template keeps that order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from rouei.documents.renderers.pdf import find_fonts

# The address window of a 長形3号 window envelope with an A4 sheet folded in three: about
# 90 × 45 mm, 20 mm from the left and 12 mm from the top edge of the sheet.
WINDOW_LEFT, WINDOW_TOP, WINDOW_WIDTH = 22.0, 16.0, 88.0
BODY_TOP = 70.0  # below the window and the sender block


@dataclass(frozen=True)
class Letter:
    text: str  # the letter as ``letter.txt`` renders it for one person
    ref: str  # the person's 受付番号, printed at the foot of every page


class _LetterPDF(FPDF):
    ref = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("body", size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"受付番号 {self.ref}", align=Align.R)
        self.set_text_color(0, 0, 0)


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def render_letters(letters: Iterable[Letter]) -> bytes:
    """One PDF of every letter; an empty iterable gives a PDF with no pages' worth of letters
    (callers check the count first)."""
    body_font, heading_font = find_fonts()
    pdf = _LetterPDF(format="A4")
    pdf.set_margins(22, 16, 20)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font("body", fname=str(body_font))
    pdf.add_font("heading", fname=str(heading_font))
    pdf.set_title("個人情報の漏えい等に関するお知らせ")
    pdf.set_creator("rouei")
    for letter in letters:
        _letter(pdf, letter)
    return bytes(pdf.output())


def _write(pdf: FPDF, lines: list[str], *, size: float, height: float, font: str = "body",
           align: Align = Align.L, left: float | None = None, width: float = 0) -> None:
    pdf.set_font(font, size=size)
    for line in lines:
        if left is not None:
            pdf.set_x(left)
        pdf.multi_cell(width or pdf.epw, height, line, align=align, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)


def _letter(pdf: _LetterPDF, letter: Letter) -> None:
    pdf.add_page()  # (draws the previous letter's last footer: the reference changes after)
    pdf.ref = letter.ref
    blocks = _blocks(letter.text)
    if not blocks:
        return
    address, rest = blocks[0], blocks[1:]
    pdf.set_y(WINDOW_TOP)
    _write(pdf, address[:-1], size=10.5, height=6, left=WINDOW_LEFT, width=WINDOW_WIDTH)
    _write(pdf, address[-1:], size=13, height=8, left=WINDOW_LEFT, width=WINDOW_WIDTH)
    pdf.set_y(max(pdf.get_y() + 6, BODY_TOP - 20))
    if rest:
        _write(pdf, rest[0], size=10, height=5.5, align=Align.R)  # the date and the sender
        rest = rest[1:]
    pdf.set_y(max(pdf.get_y() + 4, BODY_TOP))
    if rest:
        _write(pdf, rest[0], size=12.5, height=7, font="heading", align=Align.C)  # the title
        rest = rest[1:]
    for block in rest:
        pdf.ln(3)
        for line in block:
            if line.startswith("■"):
                pdf.ln(1)
                _write(pdf, [line], size=10.5, height=6, font="heading")
            else:
                _write(pdf, [line], size=10, height=5.6)
