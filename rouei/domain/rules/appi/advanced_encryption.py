"""Exception: 高度な暗号化その他の個人の権利利益を保護するために必要な措置 with the key safe.
PPC Rules Art. 7(i) 括弧書き (applies to all four items); Q&A 6-19."""

from __future__ import annotations

from rouei.domain.facts import Facts
from rouei.domain.rules.base import APPI_2022, Finding, Rule
from rouei.domain.rules.common import encryption_protects
from rouei.domain.text import Text

RULE = Rule("advanced_encryption", "exception",
            Text("高度な暗号化等の措置", "Advanced encryption with the key safe"), APPI_2022)
CITATION = "個人情報保護法施行規則7条1号括弧書き; Q&A 6-19"


def evaluate(facts: Facts) -> Finding:
    status, text, unknowns = encryption_protects(facts)
    return RULE.finding(status, text.ja, text.en, CITATION, *unknowns)
