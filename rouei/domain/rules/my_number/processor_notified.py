"""My Number exception for a 委託先 that notified its 委託元: My Number Act Art. 29-4(1) ただし書."""

from __future__ import annotations

from rouei.domain.facts import Facts
from rouei.domain.rules.appi import processor_notified as appi
from rouei.domain.rules.base import APPI_2022, Finding, Rule
from rouei.domain.text import Text

RULE = Rule("mn_processor_notified", "exception",
            Text("委託先から委託元への通知", "Processor notified its controller"), APPI_2022)
CITATION = "番号法29条の4第1項ただし書・2項"


def evaluate(facts: Facts) -> Finding:
    same = appi.evaluate(facts)  # the same structure as APPI Art. 26(1) ただし書
    return RULE.finding(same.status, same.text.ja, same.text.en, CITATION)
