"""Test helpers: our own check-digit generators (independent of the detectors' code, and
cross-checked against published numbers) and small wrappers around the detector API."""

from __future__ import annotations

import re

import polars as pl

from rouei.scanning.detectors import detect_text
from rouei.scanning.normalise import normalise_column


def luhn_complete(partial: str) -> str:
    """``partial`` with the Luhn check digit appended."""
    total = 0
    for i, ch in enumerate(reversed(partial + "0")):
        d = int(ch) * (2 if i % 2 else 1)
        total += d // 10 + d % 10
    return partial + str((10 - total % 10) % 10)


def my_number_complete(first_eleven: str) -> str:
    """Weights 6 5 4 3 2 7 6 5 4 3 2 from the left (= 2–7, 2–6 from the right)."""
    total = sum(int(d) * w for d, w in zip(first_eleven, (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2),
                                           strict=True))
    r = total % 11
    return first_eleven + str(0 if r <= 1 else 11 - r)


def corporate_number_complete(last_twelve: str) -> str:
    """Check digit first: 9 − (Σ digit × (1, 2, 1, 2 … from the right) mod 9)."""
    total = sum(int(d) * (2 if i % 2 else 1) for i, d in enumerate(reversed(last_twelve)))
    return str(9 - total % 9) + last_twelve


def drivers_license_complete(first_ten: str, reissues: str = "0") -> str:
    total = sum(int(d) * w for d, w in zip(first_ten, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2),
                                           strict=True))
    return first_ten + str((11 - total % 11) % 10) + reissues


def wrong_check_digit(number: str, position: int = -1) -> str:
    """The same number with the digit at ``position`` changed (so its check fails)."""
    digits = list(number)
    digits[position] = str((int(digits[position]) + 1) % 10)
    return "".join(digits)


def full_width(text: str) -> str:
    """ASCII letters, digits and hyphens as their full-width forms (０９０－…)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and (c.isalnum() or c == "-") else
                   "\u3000" if c == " " else c for c in text)


def found(text: str, category: str | None = None) -> list[str]:
    """Values ``detect_text`` reports (of one category), after checking that every match's
    offsets give back exactly its value in the original text."""
    matches = detect_text(text)
    for m in matches:
        assert text[m.start:m.end] == m.value, (m, text)
        assert 0 <= m.start < m.end <= len(text)
    return [m.value for m in matches if category is None or m.category == category]


def categories(text: str) -> list[str]:
    return [m.category for m in detect_text(text)]


def column_matches(pattern: str, values: list[str]) -> list[bool]:
    """Whether each cell matches ``pattern`` in polars (Rust regex) after the column normal
    form, asserting Python's ``re`` agrees."""
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Utf8})
    cells = frame.select(normalise_column(pl.col("v"))).to_series()
    rust = cells.str.contains(pattern).to_list()
    python = [bool(re.search(pattern, cell)) for cell in cells.to_list()]
    assert rust == python, (pattern, values, rust, python)
    return rust
