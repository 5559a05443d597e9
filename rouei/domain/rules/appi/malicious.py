"""Trigger 3: an act that may have had an unlawful purpose (不正の目的). PPC Rules Art. 7(iii).

The actor may be an outsider or an employee; acts against a 委託先 or a service provider count
(GL 3-5-3-1(3), Q&A 6-16). Loss is not malicious; theft is. Since 2024-04-01 the trigger also
covers personal information being acquired (see not_personal_data.py for that scope).
"""

from __future__ import annotations

from rouei.domain import deadlines
from rouei.domain.facts import Facts
from rouei.domain.rules.base import APPI_2022, Finding, Rule, Status
from rouei.domain.rules.common import UNKNOWN_MALICE, malice
from rouei.domain.text import Text

RULE = Rule("malicious", "trigger",
            Text("不正の目的によるおそれ（規則7条3号）", "Possible unlawful purpose (Rules 7(iii))"),
            APPI_2022, order=3, final_report_days=deadlines.FINAL_REPORT_DAYS_MALICIOUS,
            because=Text("不正の目的によるおそれがある",
                         "it may have been done with an unlawful purpose"),
            article=Text("規則7条3号", "PPC Rules Art. 7(iii)"))
CITATION = "個人情報保護法施行規則7条3号; GL 3-5-3-1(3); Q&A 6-16"


def evaluate(facts: Facts) -> Finding:
    status, text = malice(facts)
    unknowns = (UNKNOWN_MALICE,) if status is Status.UNKNOWN else ()
    return RULE.finding(status, text.ja, text.en, CITATION, *unknowns)
