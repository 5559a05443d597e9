"""Passwords written in prose (パスワード). An item of the catalogue (``password``): with a login ID
of a service that can pay or send money, its leak is one of the cases to report (GL 3-5-3-1).

In a table only a header names a password column (anything can be a password), so the column
shape here never matches by itself (``columns.HEADER_ONLY``). In mail and notes a password is
written after its label: 「以前のパスワード（sakura2019）でログインできません」, 「旧パスワード：Hana-7788」,
「仮パスワードは kR8#pz2Q です」, 「PW: …」. The label (with 以前の, 旧, 仮, 初期, 新しい, 現在の …) and
a separator (は, :, =, a bracket) must come right before the value, so talk about passwords
(パスワードを変更しました, パスワードを忘れた) finds nothing. A value is 4 to 64 printable ASCII
characters after NFKC with a letter or digit, not a mask (******, xxxx) and not a word that
stands in for one (未設定, 不明 are not ASCII; "none", "password" are dropped here).
"""

from __future__ import annotations

import re

from rouei.scanning.detectors._common import nfkc

CATEGORY = "password"
CHECKSUM = None
# Never a whole cell by itself: the header names a password column (HEADER_ONLY).
COLUMN_PATTERN = r"^\b$"
_LABEL = (r"(?:(?:以前の|前の|元の|古い|旧|仮|初期|新しい|新|現在の|今の|ログイン|ログイン用の?|会員)"
          r"\s*)?(?:パスワード|パス ?ワード|暗証番号|PASSWORD|Password|password|PWD|Pwd|pwd|PW|Pw|pw|PASS|Pass|pass)")
# A separator: は/が/を …, ":", "=", or an opening bracket, with optional spaces.
_SEPARATOR = r"\s*(?:(?:は|が|を|も|:|=)\s*[(「『\[]?|[(「『\[])\s*"
TEXT_PATTERN = (rf"(?<![A-Za-z]){_LABEL}(?:\s*[(（][^)）]{{0,12}}[)）])??{_SEPARATOR}"
                r"(?P<value>[\x21-\x27\x2a-\x5a\x5c\x5e-\x7e]{4,64})"
                r"(?![\x21-\x27\x2a-\x5a\x5c\x5e-\x7e])")
PREFILTER = r"パスワード|パス ワード|暗証番号|(?i:pw|pass)"
CONTEXT_WORDS = ("パスワード", "暗証番号", "ログイン", "password", "PW")  # the label is in the pattern
REQUIRES_CONTEXT = False

_ALNUM = re.compile(r"[A-Za-z0-9]")
_MASK_CHARS = frozenset("*xX●•#?_.-")
_NOT_A_PASSWORD = frozenset(("none", "null", "password", "pass", "unknown", "reset", "same",
                             "http", "https", "xxxx", "****"))


def validate(value: str) -> bool:
    value = normalise_value(value).rstrip(".,;")
    return (4 <= len(value) <= 64 and bool(_ALNUM.search(value))
            and len(set(value)) > 1 and not set(value) <= _MASK_CHARS and value.lower() not in _NOT_A_PASSWORD
            and not value.lower().startswith(("http://", "https://")))


def normalise_value(value: str) -> str:
    return nfkc(value).strip()
