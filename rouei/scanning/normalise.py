"""Text normalisation for the detectors, with an offset map back to the original text.

Japanese data writes the same number many ways: full-width digits (０９０), a dozen dash
characters (－ ― ー − …), ideographic spaces, era ligatures (㍻). Detectors run on one canonical
form: Unicode NFKC (UAX #15), plus every dash variant *between digits* folded to "-" and every
remaining Unicode space folded to " ". 〒 stays as it is: it marks a postal code.

NFKC is not one character to one character: ㍻ becomes 平成 (one to two), ｶﾞ becomes ガ (two to
one). ``Normalised.to_original`` maps any span of the normalised text back to the span of the
original text that produced it, so a finding points at the characters a person would see.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

import polars as pl

# After NFKC: hyphen, figure dash, en dash, em dash, horizontal bar, minus sign, katakana
# prolonged sound mark (typed for a dash in phone numbers), hyphen bullet, modifier minus, heavy
# minus. NFKC has already turned －, ﹣ into "-" and ｰ into ー.
DASHES = "\u2010\u2012\u2013\u2014\u2015\u2212\u30fc\u2043\u02d7\u2796"
_DASH_BETWEEN_DIGITS = re.compile(f"(?<=[0-9])[{DASHES}](?=[0-9])")
# Spaces, as a regex class body (NFKC already maps most, such as U+3000 and U+00A0, to " ").
SPACES = "\u1680\u3000\u00a0\u2000-\u200a\u202f\u205f"
_SPACES = re.compile(f"[{SPACES}]")
_HAS_FOLDABLE = re.compile(f"[{DASHES}{SPACES}]")

# Hangul vowel and trailing jamo compose with the syllable before them (Unicode 3.12).
_HANGUL_JOINING = range(0x1161, 0x11C3)


class Normalised:
    """The normalised ``text`` of ``original`` and the map between them."""

    __slots__ = ("_ends", "_starts", "original", "text")

    def __init__(self, original: str, text: str,
                 starts: list[int] | None = None, ends: list[int] | None = None) -> None:
        self.original = original
        self.text = text
        # For each character of ``text``: the [start, end) of the original characters that
        # produced it. None: the map is the identity (same length, position for position).
        self._starts = starts
        self._ends = ends

    @property
    def is_identity(self) -> bool:
        return self._starts is None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` that produced ``text[start:end]``."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) outside 0..{len(self.text)}")
        if self._starts is None or self._ends is None:
            return start, end
        if start == end:
            pos = self._starts[start] if start < len(self.text) else len(self.original)
            return pos, pos
        return self._starts[start], self._ends[end - 1]

    def __repr__(self) -> str:
        return f"Normalised(text={self.text!r}, identity={self.is_identity})"


# Full-width ASCII (！ … ～) and the ideographic space: NFKC maps each to one ASCII character.
_WIDE_TO_ASCII = {**{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}, 0x3000: " "}
# Characters NFKC leaves as they are and never joins with a neighbour: ASCII, kana, the CJK
# ideographs of the BMP, 々〆〇 and the common Japanese punctuation (test_normalise checks it).
_PLAIN = re.compile("[\x00-\x7f\u3001-\u3003\u3005-\u3007\u300c-\u3011\u301c"
                    "\u3012\u00d7\u3041-\u3096\u30a1-\u30fa\u30fb\u30fc\u4e00-\u9fff]*")


def normalise(text: str) -> Normalised:
    """NFKC, dashes between digits → "-", spaces → " ", with the offset map."""
    if text.isascii():
        return Normalised(text, text)
    if unicodedata.is_normalized("NFKC", text):
        # Folding is one character for one character: the map stays the identity.
        return Normalised(text, _fold(text))
    plain = text.translate(_WIDE_TO_ASCII)
    if _PLAIN.fullmatch(plain):
        # Full-width digits and letters in Japanese text (most cells that are not NFKC): one
        # character for one, so the map stays the identity, as the segmentation below finds.
        return Normalised(text, _fold(plain))
    return _segmented(text)


def _segmented(text: str) -> Normalised:
    """``normalise`` of any text: NFKC segment by segment (a character and what NFKC may join
    to it), each output character mapped to its segment."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    bounds = [0]
    bounds.extend(i for i in range(1, len(text)) if not _joins_previous(text[i]))
    bounds.append(len(text))
    for a, b in itertools.pairwise(bounds):
        out = _nfkc_char(text[a]) if b - a == 1 else unicodedata.normalize("NFKC", text[a:b])
        pieces.append(out)
        starts.extend([a] * len(out))
        ends.extend([b] * len(out))
    normalised = "".join(pieces)
    whole = unicodedata.normalize("NFKC", text)
    if normalised != whole:
        # A composition the segmentation did not foresee: stay correct, map coarsely.
        starts, ends = [0] * len(whole), [len(text)] * len(whole)
        normalised = whole
    return Normalised(text, _fold(normalised), starts, ends)


def _fold(text: str) -> str:
    if not _HAS_FOLDABLE.search(text):
        return text
    return _SPACES.sub(" ", _DASH_BETWEEN_DIGITS.sub("-", text))


@lru_cache(maxsize=4096)
def _nfkc_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char)


@lru_cache(maxsize=4096)
def _joins_previous(char: str) -> bool:
    """Whether NFKC may combine ``char`` with what precedes it (so no segment boundary)."""
    first = _nfkc_char(char)[:1]
    if not first:
        return True
    return (unicodedata.combining(first) != 0 or ord(first) in _HANGUL_JOINING
            or first in _COMPOSING_STARTERS)


# Starters that are the second half of a canonical composition (NFC_Quick_Check=Maybe with
# combining class 0, e.g. U+0B3E), as ``composing_starters`` derives them from Python's Unicode
# data (14.0 for Python 3.11; tests/scanning/test_normalise.py checks this list against the
# running Python): deriving them takes ~0.6 s, once per process that meets a non-NFKC text.
_COMPOSING_STARTERS = frozenset(chr(cp) for cp in (
    0x09BE, 0x09D7, 0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7, 0x0CC2, 0x0CD5, 0x0CD6, 0x0D3E,
    0x0D57, 0x0DCF, 0x0DDF, 0x0FB5, 0x0FB7, 0x102E, 0x1B35, 0x11127, 0x1133E, 0x11357, 0x114B0,
    0x114BA, 0x114BD, 0x115AF, 0x11930))


def composing_starters() -> frozenset[str]:
    """Starters that are the second half of a canonical composition, from the running
    Python's Unicode data."""
    found = set()
    for cp in range(0x110000):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                second = chr(int(parts[1], 16))
                if unicodedata.combining(second) == 0:
                    found.add(second)
    return frozenset(found)


def normalise_column(expr: pl.Expr, strip: bool = True) -> pl.Expr:
    """The same normal form for a polars string column (whole cells, stripped unless ``strip``
    is False), so that the detectors' ``COLUMN_PATTERN`` sees what ``TEXT_PATTERN`` sees. No
    offsets: a cell is reported as a whole."""
    dash_between = f"([0-9])[{DASHES}]([0-9])"
    # Two passes: a match consumes the digit after the dash, so 1−2−3 needs a second pass.
    folded = (expr.str.normalize("NFKC")
              .str.replace_all(dash_between, "${1}-${2}")
              .str.replace_all(dash_between, "${1}-${2}")
              .str.replace_all(f"[{SPACES}]", " "))
    return folded.str.strip_chars() if strip else folded


def normalise_cells(cells: pl.Series) -> pl.Series:
    """``normalise_column`` for a whole Series, the expressions run only on the cells that
    need them: most cells of a large table (ASCII, kana, kanji, full-width digits, the
    ideographic space) are folded one character for one by the compiled kernel
    (``kernels.fold_cells``); without it, ``kernels.may_change`` tells which cells the
    expressions may change (a character outside ASCII, kana, 々〆〇 and the CJK ideographs of
    the BMP, ー between digits, or white space at either end)."""
    # Imported here: kernels imports the detectors, which import this module.
    from rouei.scanning import kernels

    folded = kernels.fold_cells(cells)
    if folded is not None:  # the plain cells folded in C; the others by the expressions
        normal, other, changed = folded
        if other is None:
            return normal if changed else cells
        at = other.arg_true()
        return normal.scatter(at, pl.select(normalise_column(pl.lit(cells.gather(at))))
                              .to_series())
    touched = kernels.may_change(cells)
    if not touched.any():
        return cells
    changed = pl.select(normalise_column(pl.lit(cells.filter(touched)))).to_series()
    return cells.clone().scatter(touched.arg_true(), changed)
