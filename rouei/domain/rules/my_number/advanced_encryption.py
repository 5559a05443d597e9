"""My Number exception: 高度な暗号化 with the key safe (MN Q&A 17-14, same test as APPI Q6-19)."""

from __future__ import annotations

from rouei.domain.facts import Facts
from rouei.domain.rules.base import APPI_2022, Finding, Rule
from rouei.domain.rules.common import encryption_protects
from rouei.domain.text import Text

RULE = Rule("mn_advanced_encryption", "exception",
            Text("高度な暗号化等の措置", "Advanced encryption with the key safe"), APPI_2022)
CITATION = "特定個人情報漏えい等報告規則2条柱書括弧書き; 番号法Q&A 17-14"


def evaluate(facts: Facts) -> Finding:
    status, text, unknowns = encryption_protects(facts)
    return RULE.finding(status, text.ja, text.en, CITATION, *unknowns)
