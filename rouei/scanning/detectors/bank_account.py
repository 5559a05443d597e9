"""Bank account numbers (口座番号).

The 7-digit account number of Japanese banks (全銀協 format), optionally preceded by the 3-digit
branch number (123-1234567). There is no public check digit, and seven digits are everywhere, so
this detector REQUIRES context words (口座, 普通, 当座, 支店 …) in free text. In a column headed
口座番号 a 6-digit value is accepted too (a spreadsheet drops the leading zero), and so is the
account type written before the number, as transfer lists do (普通 1234567, 当座預金 123-1234567,
(普)1234567). Not covered: Japan Post Bank's 記号-番号 (5 + 8 digits).
"""

from __future__ import annotations

from rouei.scanning.detectors._common import digits_of, one_repeated_digit

CATEGORY = "bank_account"
CHECKSUM = None
# 預金種目 (account type) as lists write it before the number; NFKC makes （普） "(普)".
ACCOUNT_TYPES = ("普通預金", "当座預金", "貯蓄預金", "普通口座", "当座口座", "普通", "当座", "貯蓄",
                 "総合", "(普)", "(当)", "普", "当")
_TYPE = "(?:" + "|".join(t.replace("(", r"\(").replace(")", r"\)") for t in ACCOUNT_TYPES) + ")"
COLUMN_PATTERN = rf"^(?:{_TYPE} ?)?(?:[0-9]{{3}}[ -])?[0-9]{{6,7}}$"
TEXT_PATTERN = r"(?<![0-9])(?:[0-9]{3}[ -])?[0-9]{7}(?![0-9])"
CONTEXT_WORDS = ("口座", "口座番号", "普通", "当座", "支店", "預金", "振込", "振込先", "account",
                 "acct")
REQUIRES_CONTEXT = True


def _parts(value: str) -> tuple[str, str]:
    digits = digits_of(value)
    if len(digits) == 10:
        return digits[:3], digits[3:]
    return "", digits


def validate(value: str) -> bool:
    _, account = _parts(value)
    return len(account) in (6, 7) and not one_repeated_digit(account)


def normalise_value(value: str) -> str:
    """Branch and account, the account padded to 7 digits: ``123-0123456`` or ``0123456``."""
    branch, account = _parts(value)
    account = account.zfill(7)
    return f"{branch}-{account}" if branch else account
