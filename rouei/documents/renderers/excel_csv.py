"""CSV that Excel in Japan opens as it is: CP932 (Shift_JIS as Windows has it), CRLF line ends.

Three things would otherwise go wrong:

- Unicode characters that CP932 writes at another code point (the WAVE DASH 〜 is ～ there, the
  minus − is －, …) are mapped to that one instead of being lost; other characters outside CP932
  become "?" (nothing raises).
- A cell that begins with = + - @ or a tab or CR would be run by Excel as a formula (CSV
  injection: file names and column headers come from leaked, possibly hostile, files): such a
  text cell is written with a leading apostrophe, which Excel shows as text. Numbers are
  written as numbers.
- Fields are quoted when they hold a comma, quote or line break (RFC 4180).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

# Unicode → the character CP932 has for it (the JIS X 0208 mapping differences).
_CP932_VARIANTS = str.maketrans({
    "\u301c": "\uff5e",  # 〜 WAVE DASH → ～
    "\u2212": "\uff0d",  # − MINUS SIGN → －
    "\u2016": "\u2225",  # ‖ → ∥
    "\u2014": "\u2015",  # — EM DASH → ―
    "\u00a2": "\uffe0",  # ¢ → ￠
    "\u00a3": "\uffe1",  # £ → ￡
    "\u00ac": "\uffe2",  # ¬ → ￢
})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return value
    text = str(value).translate(_CP932_VARIANTS)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


excel_cell = _cell  # one cell as written (CP932 variants, a formula start made text)
FORMULA_STARTS = _FORMULA_STARTS
_VARIANT = re.compile("[" + "".join(chr(c) for c in _CP932_VARIANTS) + "]")


def cp932_variants(text: str) -> str:
    """``text`` with the characters CP932 writes elsewhere mapped (``_CP932_VARIANTS``), in one
    pass over a whole block of CSV: the same as ``_cell`` does cell by cell, without a
    ``translate`` per cell (a million-row file has nine million cells)."""
    return _VARIANT.sub(lambda m: m.group().translate(_CP932_VARIANTS), text)


def excel_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The table as CP932 CSV bytes."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in header])
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("cp932", errors="replace")


def write_excel_csv(handle: io.RawIOBase | io.BufferedIOBase, header: Sequence[str],
                    rows: Iterable[Sequence[object]]) -> int:
    """The table as CP932 CSV written to a binary ``handle`` row by row (memory does not grow
    with the table); returns the number of characters CP932 could not hold (written as "?")."""
    text = io.TextIOWrapper(handle, encoding="cp932", errors="replace", newline="",
                            write_through=False)
    writer = csv.writer(text, lineterminator="\r\n")
    replaced = 0
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        cells = [_cell(v) for v in row]
        for cell in cells:
            if isinstance(cell, str) and not _encodable(cell):
                replaced += sum(1 for ch in cell if not _encodable(ch))
        writer.writerow(cells)
    text.flush()
    text.detach()
    return replaced


def _encodable(text: str) -> bool:
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True
