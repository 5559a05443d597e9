"""Exception: no 漏えい, 滅失 or 毀損 at all: recovered unseen, an identical copy kept, or an
intentional provision (GL 3-5-1-2, 3-5-1-3, 3-5-1-4)."""

from __future__ import annotations

from rouei.domain.facts import Facts
from rouei.domain.rules.base import APPI_2022, Finding, Rule
from rouei.domain.rules.common import no_incident
from rouei.domain.text import Text

RULE = Rule("no_incident", "exception",
            Text("漏えい等に当たらない", "No leak, loss or damage"), APPI_2022)
CITATION = "GL 3-5-1-2, 3-5-1-3, 3-5-1-4"


def evaluate(facts: Facts) -> Finding:
    status, text, unknowns = no_incident(facts, provision_counts=True)
    return RULE.finding(status, text.ja, text.en, CITATION, *unknowns)
