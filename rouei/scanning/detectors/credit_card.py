"""Credit-card numbers (クレジットカード番号).

13–19 digits (ISO/IEC 7812-1), written whole or in groups separated by spaces or hyphens
(4-4-4-4, Amex 4-6-5). Valid only if the Luhn check digit (ISO/IEC 7812-1 Annex B) holds and
the number falls in a brand's IIN range with that brand's length: Visa 4 (13, 16, 19), Mastercard
51–55 and 2221–2720 (16), American Express 34, 37 (15), JCB 3528–3589 (16–19), Diners Club 36,
38, 39, 300–305, 3095 (14–19), Discover 6011, 644–649, 65, 622126–622925 (16–19), UnionPay 62
(16–19). A 16-digit order number that fails Luhn is not a card; one that passes by chance is
dropped when an order or product word (注文, 商品コード …) precedes it and no card word is near.
"""

from __future__ import annotations

import polars as pl

from rouei.scanning import kernels
from rouei.scanning.detectors._common import (
    NOT_PERSONAL_NUMBER_WORDS,
    digits_of,
    one_repeated_digit,
)

CATEGORY = "credit_card"
CHECKSUM = "Luhn (ISO/IEC 7812-1 Annex B)"
COLUMN_PATTERN = (r"^(?:(?:[0-9]{4}[ -]?){3}[0-9]{1,4}(?:[ -]?[0-9]{1,3})?"
                  r"|[0-9]{4}[ -]?[0-9]{6}[ -]?[0-9]{4,5})$")
# Python ``re``: the same separator throughout a number (back-references).
TEXT_PATTERN = (r"(?<![0-9])(?:[0-9]{4}(?P<sep>[ -]?)[0-9]{4}(?P=sep)[0-9]{4}(?P=sep)[0-9]{1,4}"
                r"(?:(?P=sep)[0-9]{1,3})?"
                r"|[0-9]{4}(?P<amex>[ -]?)[0-9]{6}(?P=amex)[0-9]{4,5})(?![0-9])")
# What every match contains, from its first digit (Detector.gates; Rust regex: no back-reference).
TEXT_GATE = (r"(?:^|[^0-9])(?:[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]"
             r"|[0-9]{4}[ -]?[0-9]{6}[ -]?[0-9]{4})")
CONTEXT_WORDS = ("カード", "クレジット", "クレカ", "カード番号", "有効期限", "card", "credit",
                 "VISA", "Mastercard", "JCB", "AMEX", "Diners")
EXCLUDE_WORDS = NOT_PERSONAL_NUMBER_WORDS
REQUIRES_CONTEXT = False


def brand(digits: str) -> str | None:
    """The card brand whose IIN range and length ``digits`` fits, or None."""
    n = len(digits)
    if n < 13 or n > 19 or not digits.isdigit():
        return None
    p2, p3, p4, p6 = int(digits[:2]), int(digits[:3]), int(digits[:4]), int(digits[:6])
    if digits[0] == "4" and n in (13, 16, 19):
        return "visa"
    if n == 16 and (51 <= p2 <= 55 or 2221 <= p4 <= 2720):
        return "mastercard"
    if n == 15 and p2 in (34, 37):
        return "amex"
    if n >= 16 and 3528 <= p4 <= 3589:
        return "jcb"
    if n >= 14 and (p2 in (36, 38, 39) or 300 <= p3 <= 305 or p4 == 3095):
        return "diners"
    if n >= 16 and (p4 == 6011 or p2 == 65 or 644 <= p3 <= 649 or 622126 <= p6 <= 622925):
        return "discover"
    if n >= 16 and p2 == 62:
        return "unionpay"
    return None


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def validate(value: str) -> bool:
    digits = digits_of(value)
    return (brand(digits) is not None and not one_repeated_digit(digits)
            and luhn_ok(digits))


def validate_column(cells: pl.Series) -> pl.Series:
    """``validate`` for a Series of normalised cells (the compiled kernel)."""
    return kernels.card_valid(cells)


def normalise_value(value: str) -> str:
    return digits_of(value)
