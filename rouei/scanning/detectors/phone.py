"""Japanese telephone numbers (電話番号).

Numbering per the 電気通信番号計画 (総務省告示): fixed lines 0 + area code + local number, 10 digits,
the area code (with its 0) 2–5 digits and area code + exchange 6 digits, the subscriber number 4
(03-1234-5678, 011-123-4567, 0123-45-6789, 01234-5-6789); mobile 070/080/090 and IP phones 050,
11 digits (3-4-4); toll-free 0120 (10 digits, 4-3-3) and 0800 (11, 4-3-4); navi-dial 0570
(10, 4-3-3). International form: +81 with the leading 0 dropped (+81-90-1234-5678, also
+81 (0)3 …). Separators: hyphens, spaces, parentheses (03(1234)5678, (03)1234-5678). Rejected:
00 (international prefix), 020 and 060 (M2M, unassigned), 0180, 0990, wrong lengths or groups.
Near order or slip words (注文番号 …) a number is dropped unless a phone word is also near.
"""

from __future__ import annotations

import re

import polars as pl

from rouei.scanning.detectors._common import (
    NOT_PERSONAL_NUMBER_WORDS,
    nfkc,
    with_leading_zero,
)

CATEGORY = "phone"
CHECKSUM = None
COLUMN_PATTERN = r"^(?:\+81[ -]?(?:\(0\)[ -]?)?|\(?0)[1-9][0-9 ()-]{7,16}$"
TEXT_PATTERN = (r"(?<![0-9])(?:\+81[ -]?(?:\(0\)[ -]?)?|\(0|0)[1-9]"
                r"(?:\)?[ -]?\(?[0-9]){8,9}(?![0-9])")
# What every TEXT_PATTERN match contains (Rust regex; no look-around): a table's free-text cells
# without it are not worth the pattern (detectors.Detector.gates).
TEXT_GATE = (r"(?:^|[^0-9])(?:\+81[ -]?(?:\(0\)[ -]?)?|\(0|0)[1-9](?:\)?[ -]?\(?[0-9]){8,9}"
             r"(?:[^0-9]|$)")
CONTEXT_WORDS = ("電話", "電話番号", "TEL", "携帯", "ケータイ", "連絡先", "固定電話", "自宅",
                 "phone", "mobile", "☎")
EXCLUDE_WORDS = (*NOT_PERSONAL_NUMBER_WORDS, "口座", "問い合わせ番号", "問合せ番号")
REQUIRES_CONTEXT = False
# A spreadsheet that takes a phone column for numbers drops the leading 0 (09012345678 →
# 9012345678; 「先頭の0が消える」). In a column whose header names phones, these shapes get
# their 0 back: 9 digits (fixed, 0120), 10 digits of a mobile or IP number (50/70/80/90) or 0800.
_LOST_LEADING_ZERO = r"^(?:[1-9][0-9]{8}|[5789]0[0-9]{8}|800[0-9]{7})$"

_GROUPS = re.compile(r"[0-9]+")
_SEPARATORS_ONLY = re.compile(r"[0-9 ()-]+")


def _groups(value: str) -> list[str] | None:
    """Digit groups in domestic form (+81 → 0), or None if the text is not phone-shaped."""
    v = nfkc(value).strip()
    international = v.startswith("+81")
    if international:
        v = v[3:].lstrip(" -")
        v = v.removeprefix("(0)")
    if not v or not _SEPARATORS_ONLY.fullmatch(v):
        return None
    groups = _GROUPS.findall(v)
    if not groups:
        return None
    if international and not groups[0].startswith("0"):
        groups[0] = "0" + groups[0]
    return groups


def kind(digits: str) -> str | None:
    """fixed, mobile, ip, toll_free or navi_dial; None if no Japanese number has this form."""
    n = len(digits)
    if n < 10 or digits[0] != "0" or digits[1] == "0":
        return None
    if digits[:4] in ("0120", "0570"):
        return ("toll_free" if digits[:4] == "0120" else "navi_dial") if n == 10 else None
    if digits[:4] == "0800":
        return "toll_free" if n == 11 else None
    if digits[:3] in ("070", "080", "090"):
        return "mobile" if n == 11 else None
    if digits[:3] == "050":
        return "ip" if n == 11 else None
    if digits[:3] in ("020", "060") or digits[:4] in ("0180", "0990"):
        return None
    return "fixed" if n == 10 else None


_THREE_GROUPS = {
    "mobile": ((3, 4, 4),),
    "ip": ((3, 4, 4),),
    # 0800 numbers are also written 080-0XXX-XXXX (as if mobile); accept both groupings.
    "toll_free": ((4, 3, 3), (4, 3, 4), (3, 4, 4)),
    "navi_dial": ((4, 3, 3),),
}


def _groups_fit(number_kind: str, lengths: tuple[int, ...]) -> bool:
    if len(lengths) == 1:
        return True
    if len(lengths) == 2:
        return 2 <= lengths[0] <= 5 or lengths[1] == 4
    if len(lengths) != 3:
        return False
    if number_kind == "fixed":
        return 2 <= lengths[0] <= 5 and lengths[0] + lengths[1] == 6 and lengths[2] == 4
    return lengths in _THREE_GROUPS[number_kind]


def validate(value: str) -> bool:
    groups = _groups(value)
    if groups is None:
        return False
    number_kind = kind("".join(groups))
    return number_kind is not None and _groups_fit(number_kind, tuple(map(len, groups)))


def normalise_value(value: str) -> str:
    """Digits only, domestic form: +81-90-1234-5678 → 09012345678."""
    groups = _groups(value)
    return "".join(groups) if groups else ""


def restore_spreadsheet_value(cells: pl.Series) -> pl.Series:
    """A phone column's cells with the leading 0 a spreadsheet dropped (null: nothing to do)."""
    return with_leading_zero(cells, _LOST_LEADING_ZERO)
