"""Masked values for findings, reports and logs: enough to recognise a value, never all of it.

Raw personal data must not appear in logs, reports or URLs unless a person explicitly asks to
see it (docs/architecture.md, "Conventions"). ``mask`` keeps per item what helps a reviewer
(090-****-5678, ****-****-****-1234, t***@example.jp, 東京都千代田区＊＊＊) and, for anything
else, at most a quarter of the characters. Separators (hyphens, spaces) are kept.
"""

from __future__ import annotations

import re

from rouei.scanning.detectors import address, birth_date
from rouei.scanning.normalise import normalise

STAR = "*"
WIDE_STAR = "＊"  # in Japanese text (addresses)
_SEPARATORS = frozenset(" -\u3000()\uff0d")
_DIGIT = re.compile(r"[0-9０-９]")


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
    positions = [i for i, ch in enumerate(value) if ch not in _SEPARATORS]
    keep = set(positions[: int(len(positions) * share)])
    return "".join(ch if i in keep or ch in _SEPARATORS else STAR for i, ch in enumerate(value))


def _keep_digits(value: str, first: int, last: int) -> str:
    """Star every digit except the first ``first`` and the last ``last``; keep the rest."""
    digits = [i for i, ch in enumerate(value) if _DIGIT.fullmatch(ch)]
    if first + last >= len(digits):
        return mask_default(value)
    keep = set(digits[:first]) | set(digits[len(digits) - last:])
    return "".join(STAR if _DIGIT.fullmatch(ch) and i not in keep else ch
                   for i, ch in enumerate(value))


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
    return "".join(ch if i == 0 or ch in _SEPARATORS else STAR for i, ch in enumerate(value))


def mask_address(value: str) -> str:
    """東京都千代田区＊＊＊＊: prefecture and municipality, the rest starred."""
    norm = normalise(value)
    locality, rest = address.split_locality(norm.text)
    if not locality or not rest.strip():
        return mask_default(value)
    _, end = norm.to_original(0, len(locality))
    return value[:end] + "".join(ch if ch in _SEPARATORS else WIDE_STAR for ch in value[end:])


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
