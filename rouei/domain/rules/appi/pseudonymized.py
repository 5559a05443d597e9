"""Exception: 仮名加工情報 (pseudonymised data): Art. 26 does not apply (APPI Art. 41(9))."""

from __future__ import annotations

from rouei.domain.facts import Facts
from rouei.domain.rules.base import APPI_2022, Finding, Rule, Status
from rouei.domain.text import Text

RULE = Rule("pseudonymized", "exception",
            Text("仮名加工情報", "Pseudonymised data (仮名加工情報)"), APPI_2022)
CITATION = "個人情報保護法41条9項"


def evaluate(facts: Facts) -> Finding:
    if facts.pseudonymized:
        return RULE.finding(Status.YES, "仮名加工情報には漏えい等報告（26条）が適用されません",
                            "Art. 26 does not apply to pseudonymised data", CITATION)
    return RULE.finding(Status.NO, "仮名加工情報ではありません", "Not pseudonymised data", CITATION)
