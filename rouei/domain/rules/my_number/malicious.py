"""My Number trigger 2: leak etc. possibly done, or My Numbers used or provided, with an unlawful
purpose. My Number reporting rules Art. 2(ii); MN-GL 別添2."""

from __future__ import annotations

from rouei.domain import deadlines
from rouei.domain.facts import Facts
from rouei.domain.rules.base import APPI_2022, Finding, Rule, Status
from rouei.domain.rules.common import UNKNOWN_MALICE, malice
from rouei.domain.text import Text

RULE = Rule("mn_malicious", "trigger",
            Text("不正の目的（番号法規則2条2号）", "Unlawful purpose (My Number rules 2(ii))"), APPI_2022,
            order=2, final_report_days=deadlines.FINAL_REPORT_DAYS_MALICIOUS)
CITATION = "番号法29条の4第1項; 特定個人情報漏えい等報告規則2条2号; 事業者編ガイドライン別添2"


def evaluate(facts: Facts) -> Finding:
    status, text = malice(facts)
    if facts.my_number_violation and facts.malicious:
        text = Text("特定個人情報が不正の目的で利用・提供されました",
                    "My Numbers were used or provided with an unlawful purpose")
        status = Status.YES
    unknowns = (UNKNOWN_MALICE,) if status is Status.UNKNOWN else ()
    return RULE.finding(status, text.ja, text.en, CITATION, *unknowns)
