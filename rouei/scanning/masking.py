"""Masked values for findings, reports and logs: enough to recognise a value, never all of it.

Raw personal data must not appear in logs, reports or URLs unless a person explicitly asks to
see it (docs/architecture.md, "Conventions"). ``mask`` keeps per item what helps a reviewer
(090-****-5678, ****-****-****-1234, t***@example.jp, 東京都千代田区＊＊＊) and, for anything
else, at most a quarter of the characters. Separators (hyphens, spaces) are kept.
"""

from __future__ import annotations

import functools
import re

from rouei.scanning.detectors import address, birth_date
from rouei.scanning.normalise import normalise

STAR = "*"
WIDE_STAR = "＊"  # in Japanese text (addresses)
_SEPARATORS = frozenset(" -\u3000()\uff0d")
_DIGITS = "0123456789０１２３４５６７８９"
# The rules below are written with C-level string operations (a regex to find where the kept
# part ends, ``translate``/``sub`` to star the rest) instead of a loop over the characters:
# ``rouei scan --findings`` masks millions of values. tests/scanning/detectors/test_masking.py
# checks them against the character loops they replace.
_SEP_CLASS = "".join(re.escape(ch) for ch in sorted(_SEPARATORS))
_NOT_SEPARATOR = re.compile(f"[^{_SEP_CLASS}]")
_STAR_DIGITS = str.maketrans(dict.fromkeys(_DIGITS, STAR))
_DROP_DIGITS = str.maketrans(dict.fromkeys(_DIGITS))
_DROP_SEPARATORS = str.maketrans(dict.fromkeys(_SEPARATORS))


@functools.cache
def _first_n(kind: str, n: int) -> re.Pattern[str]:
    """Matches from the start through the ``n``-th digit (``kind`` "digit") or non-separator
    (``kind`` "char")."""
    if kind == "digit":
        return re.compile(f"(?:[^0-9０-９]*[0-9０-９]){{{n}}}")
    return re.compile(f"(?:[{_SEP_CLASS}]*[^{_SEP_CLASS}]){{{n}}}")


@functools.cache
def _last_digits(n: int) -> re.Pattern[str]:
    """Matches from the ``n``-th digit from the end to the end."""
    return re.compile(f"(?:[0-9０-９][^0-9０-９]*){{{n}}}\\Z")


def mask(category: str, value: str) -> str:
    """``value`` masked as befits its catalogue ``category``; never the whole value."""
    if not value:
        return ""
    masker = _MASKERS.get(category, mask_default)
    masked = masker(value)
    if masked == value:  # a value too short or odd for its rule: fall back
        masked = mask_default(value)
    return masked


def mask_default(value: str, share: float = 0.25) -> str:
    """Keep the first ⌊share × n⌋ characters (separators not counted), star the rest."""
    keep = int(len(value.translate(_DROP_SEPARATORS)) * share)
    end = _first_n("char", keep).match(value).end() if keep else 0
    return value[:end] + _NOT_SEPARATOR.sub(STAR, value[end:])


def _keep_digits(value: str, first: int, last: int) -> str:
    """Star every digit except the first ``first`` and the last ``last``; keep the rest."""
    digits = len(value) - len(value.translate(_DROP_DIGITS))
    if first + last >= digits:
        return mask_default(value)
    start = _first_n("digit", first).match(value).end() if first else 0
    end = _last_digits(last).search(value, start).start() if last else len(value)
    return value[:start] + value[start:end].translate(_STAR_DIGITS) + value[end:]


def mask_phone(value: str) -> str:
    """090-****-5678 (the first group and the last four digits); 090****5678 without groups;
    at least four digits are always starred."""
    groups = [g for g in re.split(r"[^0-9０-９]+", value) if g]
    n = sum(map(len, groups))
    first = len(groups[0]) if len(groups) >= 2 else 3
    if value.lstrip().startswith("+") and len(groups) >= 2:
        first = len(groups[0]) + len(groups[1])  # +81 and the area code
    last = max(0, min(4, n - first - 4))
    return _keep_digits(value, first, last)


def mask_last_four(value: str) -> str:
    """****-****-****-1234: only the last four digits."""
    return _keep_digits(value, 0, 4)


def mask_email(value: str) -> str:
    """t***@example.jp: the first character of the local part (none if it is one character)
    and the domain."""
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return mask_default(value)
    return f"{local[0] if len(local) > 1 else ''}{STAR * 3}@{domain}"


def mask_name(value: str) -> str:
    """山* **: the first character; spaces kept so the shape of the name shows."""
    return value[:1] + _NOT_SEPARATOR.sub(STAR, value[1:])


def mask_address(value: str) -> str:
    """東京都千代田区＊＊＊＊: prefecture and municipality, the rest starred."""
    norm = normalise(value)
    locality, rest = address.split_locality(norm.text)
    if not locality or not rest.strip():
        return mask_default(value)
    _, end = norm.to_original(0, len(locality))
    return value[:end] + _NOT_SEPARATOR.sub(WIDE_STAR, value[end:])


def mask_birth_date(value: str) -> str:
    """19**-**-**: the first two digits of the year."""
    day = birth_date.parse(value)
    return f"{str(day.year)[:2]}**-**-**" if day else mask_default(value)


_MASKERS = {
    "phone": mask_phone,
    "credit_card": mask_last_four,
    "my_number": mask_last_four,
    "email": mask_email,
    "person_name": mask_name,
    "name_kana": mask_name,
    "address": mask_address,
    "birth_date": mask_birth_date,
}
