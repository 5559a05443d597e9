"""My Number exception: no 漏えい, 滅失 or 毀損 (recovered unseen, identical copy kept)
(MN-GL 別添2; MN Q&A 17-1). An intentional provision is not an exception here: providing My
Numbers in breach of Art. 19 is itself reportable (trigger 4)."""

from __future__ import annotations

from rouei.domain.facts import Facts
from rouei.domain.rules.base import APPI_2022, Finding, Rule, Status
from rouei.domain.rules.common import no_incident
from rouei.domain.text import Text

RULE = Rule("mn_no_incident", "exception",
            Text("漏えい等に当たらない", "No leak, loss or damage"), APPI_2022)
CITATION = "事業者編ガイドライン別添2; 番号法Q&A 17-1"


def evaluate(facts: Facts) -> Finding:
    if facts.my_number_violation:
        return RULE.finding(Status.NO, "番号法に違反する利用・提供は、それ自体が報告の対象になり得ます",
                            "Use or provision in breach of the Act is itself reportable", CITATION)
    status, text, unknowns = no_incident(facts, provision_counts=False)
    return RULE.finding(status, text.ja, text.en, CITATION, *unknowns)
