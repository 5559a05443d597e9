"""Exception for a 委託先 (processor) that promptly notified its 委託元 of the event: released from
reporting and from notifying individuals. APPI Art. 26(1) ただし書, 26(2); PPC Rules Art. 9;
GL 3-5-3-5."""

from __future__ import annotations

from rouei.domain.facts import Facts, Role
from rouei.domain.rules.base import APPI_2022, Finding, Rule, Status
from rouei.domain.text import Text

RULE = Rule("processor_notified", "exception",
            Text("委託先から委託元への通知", "Processor notified its controller"), APPI_2022)
CITATION = "個人情報保護法26条1項ただし書・2項; 規則9条; GL 3-5-3-5"


def evaluate(facts: Facts) -> Finding:
    if facts.role is not Role.PROCESSOR:
        return RULE.finding(Status.NO, "委託先としての取扱いではありません",
                            "Not handled as a processor", CITATION)
    if facts.notified_principal:
        return RULE.finding(
            Status.YES,
            "委託先として委託元に速やかに通知したため、報告・本人通知の義務は委託元が負います（委託元の報告・通知に協力してください）",
            "As a processor that promptly notified its controller, the controller reports and "
            "notifies (cooperate with it)", CITATION)
    return RULE.finding(
        Status.NO,
        "委託先ですが委託元にまだ通知していません。速やかに（目安3〜5日）委託元に通知すれば報告・本人通知義務を免れます",
        "A processor that has not yet notified its controller: doing so promptly (about 3–5 "
        "days) releases it from reporting and notice", CITATION)
