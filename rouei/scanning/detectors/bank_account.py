"""Bank account numbers (口座番号).

The 7-digit account number of Japanese banks (全銀協 format), optionally preceded by the 3-digit
branch number (123-1234567). There is no public check digit, and seven digits are everywhere, so
this detector REQUIRES context words (口座, 普通, 当座, 支店 …) in free text. In a column headed
口座番号 a 6-digit value is accepted too (a spreadsheet drops the leading zero), and so is the
account type written before the number, as transfer lists do (普通 1234567, 当座預金 123-1234567,
(普)1234567).

A whole account in one cell, as transfer lists and order notes write it — bank, branch, type and
number separated by spaces, full-width spaces or slashes (みずほ銀行 渋谷支店 普通 1234567) — is
the item too. Japan Post Bank (ゆうちょ銀行) numbers its accounts differently: a 記号 of five
digits and a 番号 of up to eight (記号12345 番号12345671; ゆうちょ銀行「記号・番号」). Such a cell
names its own context (a bank, a branch, an account type, 記号/番号), so it is found by its
values without a header (``SELF_EVIDENT_PATTERN``); a bare number still needs one.
"""

from __future__ import annotations

import re

from rouei.scanning.detectors._common import KANJI, KATAKANA, PROLONGED, nfkc, one_repeated_digit

CATEGORY = "bank_account"
CHECKSUM = None
# 預金種目 (account type) as lists write it before the number; NFKC makes （普） "(普)".
ACCOUNT_TYPES = ("普通預金", "当座預金", "貯蓄預金", "普通口座", "当座口座", "普通", "当座", "貯蓄",
                 "総合", "(普)", "(当)", "普", "当")
# Kinds of financial institution that hold accounts (銀行法, 信用金庫法, 協同組合による金融事業に
# 関する法律, 労働金庫法, 農業協同組合法), as their names end.
INSTITUTIONS = ("銀行", "信用金庫", "信金", "信用組合", "信組", "労働金庫", "労金", "農業協同組合",
                "農協", "漁業協同組合", "漁協", "JAバンク", "バンク")
BRANCHES = ("支店", "出張所", "営業部", "本店", "支所", "店")
_TYPE = "(?:" + "|".join(t.replace("(", r"\(").replace(")", r"\)") for t in ACCOUNT_TYPES) + ")"
_WORD_TYPE = "(?:" + "|".join(t for t in ACCOUNT_TYPES if len(t) > 1 and "(" not in t) + ")"
_NAME = f"[{KANJI}{KATAKANA}{PROLONGED}ぁ-んA-Za-z〇]{{1,16}}"
_BANK = f"(?:{_NAME}(?:{'|'.join(INSTITUTIONS)})|ゆうちょ)"
_BRANCH = f"(?:{_NAME}(?:{'|'.join(BRANCHES)})|[0-9]{{3}})"
_SEP = "(?: *[/・] *| +)"
_NUMBER = "(?:[0-9]{3}[ -])?[0-9]{6,7}"
# ゆうちょ銀行: 記号 (5 digits) and 番号 (up to 8 digits), labelled or as 12345-12345678.
_YUCHO = f"(?:ゆうちょ(?:銀行)?{_SEP})?記号 ?:? ?[0-9]{{5}}{_SEP}?番号 ?:? ?[0-9]{{1,8}}"
_BARE_YUCHO = "[0-9]{5}-[0-9]{1,8}"
# Bank (and branch) before the account type and number: みずほ銀行 渋谷支店 普通 1234567
_WHOLE = f"(?:{_BANK}{_SEP})?(?:{_BRANCH}{_SEP})?(?:{_TYPE}{_SEP}?)?{_NUMBER}"
_WHOLE_EVIDENT = (f"(?:{_BANK}{_SEP}(?:{_BRANCH}{_SEP})?|{_NAME}(?:{'|'.join(BRANCHES)}){_SEP})"
                  f"(?:{_TYPE}{_SEP}?)?{_NUMBER}|{_WORD_TYPE}{_SEP}?{_NUMBER}")
COLUMN_PATTERN = f"^(?:{_WHOLE}|{_YUCHO}|{_BARE_YUCHO})$"
# A cell that says by itself that it is an account (a bank or branch, an account type written
# out, 記号/番号): found by its values in a column without a header.
SELF_EVIDENT_PATTERN = f"^(?:{_WHOLE_EVIDENT}|{_YUCHO})$"
TEXT_PATTERN = (r"(?<![0-9])(?:記号 ?:? ?(?P<value>[0-9]{5}(?: *[/・-] *| +)(?:番号 ?:? ?)?"
                r"[0-9]{1,8})|(?:[0-9]{3}[ -])?[0-9]{7})(?![0-9])")
TEXT_GATE = r"[0-9]{5}"  # what every match contains (Detector.gates)
CONTEXT_WORDS = ("口座", "口座番号", "普通", "当座", "支店", "預金", "振込", "振込先", "記号",
                 "ゆうちょ", "account", "acct")
REQUIRES_CONTEXT = True

_GROUPS = re.compile(r"[0-9]+")


def _parts(value: str) -> tuple[str, str, str]:
    """(kind, first, account): ("bank", branch or "", account) or ("yucho", 記号, 番号). The
    number is the last digit group of the cell; the branch, a 3-digit group just before it."""
    v = nfkc(value)
    groups = _GROUPS.findall(v)
    if not groups:
        return "bank", "", ""
    if len(groups) >= 2 and len(groups[-2]) == 5 and ("記号" in v or "番号" in v or "ゆうちょ" in v
                                                      or len(groups) == 2):
        return "yucho", groups[-2], groups[-1]
    if len(groups) == 1 and len(groups[0]) == 10:
        return "bank", groups[0][:3], groups[0][3:]
    if len(groups) >= 2 and len(groups[-2]) == 3:
        return "bank", groups[-2], groups[-1]
    return "bank", "", groups[-1]


def validate(value: str) -> bool:
    kind, _, account = _parts(value)
    if kind == "yucho":
        return 1 <= len(account) <= 8 and not one_repeated_digit(account.lstrip("0") or "0")
    return len(account) in (6, 7) and not one_repeated_digit(account)


def normalise_value(value: str) -> str:
    """Branch and account, the account padded to 7 digits: ``123-0123456`` or ``0123456``;
    ゆうちょ銀行: 記号 and 番号 padded to 8 digits, ``12345-01234561``."""
    kind, first, account = _parts(value)
    if kind == "yucho":
        return f"{first}-{account.zfill(8)}"
    account = account.zfill(7)
    return f"{first}-{account}" if first else account
