"""Corporate Number (法人番号): found only to keep it out of other items.

A corporate number identifies a company, not a person, so it is not personal data and is never
reported (``CATEGORY`` is None). It is detected because its 13 digits can pass for a 13-digit
card number; a valid corporate number there wins the overlap and the span is dropped.

13 digits, the FIRST a check digit (法人番号の指定等に関する省令 Art. 2): with Pn the n-th of the
other 12 digits counted from the right and Qn = 1 for odd n, 2 for even n, the check digit is
9 − (Σ Pn×Qn mod 9).
"""

from __future__ import annotations

from rouei.scanning.detectors._common import digits_of, one_repeated_digit

CATEGORY = None
CHECKSUM = "check digit, Ordinance on Corporate Numbers Art. 2"
COLUMN_PATTERN = r"^[0-9]{13}$"
TEXT_PATTERN = r"(?<![0-9])[0-9]{13}(?![0-9])"
TEXT_GATE = r"(?:^|[^0-9])[0-9]{13}(?:[^0-9]|$)"  # what every match contains (Detector.gates)
CONTEXT_WORDS = ("法人番号", "会社法人等番号", "corporate number")
REQUIRES_CONTEXT = False
PRIORITY = 1  # on a tie (same span, same strength) the exclusion wins


def check_digit(last_twelve: str) -> int:
    total = sum(int(d) * (1 if n % 2 else 2)
                for n, d in enumerate(reversed(last_twelve), start=1))
    return 9 - total % 9


def validate(value: str) -> bool:
    digits = digits_of(value)
    return (len(digits) == 13 and not one_repeated_digit(digits[1:])
            and check_digit(digits[1:]) == int(digits[0]))


def normalise_value(value: str) -> str:
    return digits_of(value)
