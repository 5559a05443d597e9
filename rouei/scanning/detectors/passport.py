"""Japanese passport numbers (旅券番号). 個人識別符号 under APPI Cabinet Order Art. 1(iii).

Two Latin capitals and seven digits (TK1234567). The printed number carries no check digit (only
the machine-readable zone does), and the shape is common among product and reference codes, so
this detector REQUIRES context words (旅券, パスポート, passport) in free text.
"""

from __future__ import annotations

import re

from rouei.scanning.detectors._common import nfkc

CATEGORY = "passport"
CHECKSUM = None
COLUMN_PATTERN = r"^[A-Za-z]{2}[0-9]{7}$"
TEXT_PATTERN = r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{7}(?![0-9])"
TEXT_GATE = r"[A-Z]{2}[0-9]{7}"  # what every match contains (Detector.gates)
CONTEXT_WORDS = ("旅券", "パスポート", "passport")
REQUIRES_CONTEXT = True

_SHAPE = re.compile(r"[A-Z]{2}[0-9]{7}")


def validate(value: str) -> bool:
    value = normalise_value(value)
    return bool(_SHAPE.fullmatch(value)) and value[2:] != "0000000"


def normalise_value(value: str) -> str:
    return nfkc(value).strip().upper()
