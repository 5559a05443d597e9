"""A processor (委託先) that has not yet notified its controller (委託元): it is released from the
report and the notices only by notifying promptly — about 3–5 days from when it knew — of the
nine items as far as known (法26条1項ただし書, 規則9条; GL 3-5-3-5). Without it, it stays liable
in its own name."""

from __future__ import annotations

from rouei.documents.checks import CheckInput, Finding

CODE = "check.controller_not_notified"
TITLE = "委託先として委託元への通知（規則9条）がまだ"
TITLE_EN = "As a processor, the controller is not yet notified (Rules Art. 9)"
WARN_FROM_DAY = 2  # the notice is "速やかに": say so early
HIGH_FROM_DAY = 4  # the guide ends on day 5


def check(data: CheckInput) -> list[Finding]:
    day = data.days_since_knew()
    if data.role != "processor" or data.processor_notified or day is None:
        return []
    if day < WARN_FROM_DAY:
        return []
    return [Finding(
        code=CODE, severity="high" if day >= HIGH_FROM_DAY else "medium",
        message=(f"当社は委託先です。知った日から{day}日目ですが、委託元への通知（規則9条）が記録"
                 "されていません。分かっている範囲で速やかに（目安3〜5日）通知すれば、報告・"
                 "本人通知の義務は委託元が負います。"),
        message_en=(f"The company is the processor. Day {day} since it knew, and no notice to "
                    "the controller (Rules Art. 9) is recorded. Notifying promptly (about 3–5 "
                    "days) with what is known passes the duties to the controller."),
        fix="documents:controller-notice", details={"day": day})]
