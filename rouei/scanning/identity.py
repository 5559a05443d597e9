"""A person's identifying values in one canonical form, for matching the same person written
differently: the scanner's people keys and the registry of affected people (``rouei.people``)
both compare values in this form.

Each function takes what someone typed or a file held and returns the canonical value, or
``None`` when the value cannot identify anyone (an e-mail without @, a date that is no date). The
per-item rules are the detectors' own ``normalise_value`` (one place per item); this module adds
what matching a caller against a registry needs beyond a scan:

- a phone number whose leading 0 a spreadsheet dropped (9012345678) gets it back;
- kana in any width or script is one reading (ﾔﾏﾀﾞ, やまだ, ヤマダ), through jaconv;
- a name written in kana matches the same name in katakana, and 髙/﨑 the common forms.
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

from rouei.scanning.detectors import birth_date as birth_date_detector
from rouei.scanning.detectors import email as email_detector
from rouei.scanning.detectors import person_name as person_name_detector
from rouei.scanning.detectors import phone as phone_detector
from rouei.scanning.normalise import DASHES, normalise

# A domestic number without its leading 0 (mobile 90/80/70 + 8 digits, a landline of 9
# digits, free-dial 120/800): what Excel leaves of 090-1234-5678 typed into a number cell.
_LOST_LEADING_ZERO = re.compile(phone_detector._LOST_LEADING_ZERO)
_PHONE_DIGITS = re.compile(r"^0[0-9]{9,10}$")
_POSTAL = re.compile(r"^([0-9]{3})-?([0-9]{4})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Variant kanji that registries and forms write either way (JIS X 0213 forms outside CP932 and
# their common forms). Names are compared with both folded to the common form.
_NAME_VARIANTS = str.maketrans({"髙": "高", "﨑": "崎", "𠮷": "吉", "邉": "辺", "邊": "辺",
                                "齋": "斎", "齊": "斉", "濵": "浜", "濱": "浜", "德": "徳"})


def phone(value: str | None) -> str | None:
    """Digits only, domestic form: +81-90-1234-5678, ０９０－１２３４－５６７８ and 9012345678
    are 09012345678."""
    if not value:
        return None
    # The scanner's normal form first (dashes between digits, ー typed for a hyphen, spaces).
    digits = phone_detector.normalise_value(normalise(value).text)
    if _LOST_LEADING_ZERO.match(digits):
        digits = "0" + digits
    return digits if _PHONE_DIGITS.match(digits) else None


def email(value: str | None) -> str | None:
    """Lower case, NFKC: ＴＡＲＯ@Example.jp is taro@example.jp."""
    if not value:
        return None
    canonical = email_detector.normalise_value(value)
    return canonical if _EMAIL.match(canonical) else None


def kana(value: str | None) -> str | None:
    """Full-width katakana without spaces: ﾔﾏﾀﾞ ﾀﾛｳ, やまだ たろう and ヤマダ　タロウ are one."""
    if not value:
        return None
    text = jaconv.h2z(unicodedata.normalize("NFKC", value), kana=True, ascii=False, digit=False)
    text = jaconv.hira2kata(text)
    text = "".join(text.split()).replace("・", "").replace("･", "")
    return text or None


def name(value: str | None) -> str | None:
    """A name without spaces, in NFKC, kana as katakana, variant kanji folded: 山田　太郎,
    山田太郎 and 山田 太郎 are one; 髙橋 is 高橋; やまだ たろう is ヤマダタロウ."""
    if not value:
        return None
    text = person_name_detector.normalise_value(value)
    text = jaconv.hira2kata(text).translate(_NAME_VARIANTS)
    return text or None


def birth_date(value: str | None) -> str | None:
    """ISO 8601: 昭和60年4月1日, S60.4.1 and 1985/4/1 are 1985-04-01; None if not a date."""
    if not value:
        return None
    day = birth_date_detector.parse(value)
    return day.isoformat() if day else None


def postal_code(value: str | None) -> str | None:
    """Seven digits: 〒100-0001 and １０００００１ are 1000001."""
    if not value:
        return None
    text = unicodedata.normalize("NFKC", value).replace("〒", "").strip()
    text = re.sub(f"[{DASHES}]", "-", text).replace(" ", "")
    match = _POSTAL.match(text)
    return match.group(1) + match.group(2) if match else None

