"""A 速報 or 確報 deadline near (or passed) with the PPC report still missing items (規則8条1項,
2項; GL 3-5-3-3): names the deadline and what is missing. The 速報 carries what is known, so it
only needs the items without which it says nothing; the 確報 needs all nine."""

from __future__ import annotations

from rouei.documents.checks import CheckInput, Finding, day_ja, join_ja

CODE = "check.report_deadline_incomplete"
TITLE = "速報・確報の期限が近いのに報告の項目が埋まっていない"
TITLE_EN = "A report deadline is near and the report is incomplete"
LISTED = 6  # the message names this many items, then "ほかN件"


def check(data: CheckInput) -> list[Finding]:
    out = []
    for deadline in data.deadlines:
        left = (deadline.due - data.today).days
        if left > data.near_days:
            continue
        missing = [m.label for m in data.report_missing if m.deadline == deadline.due]
        if not missing:
            continue
        named = join_ja(missing[:LISTED]) + (f"ほか{len(missing) - LISTED}件"
                                             if len(missing) > LISTED else "")
        if left < 0:
            when, when_en = f"{-left}日過ぎています", f"passed {-left} day(s) ago"
        elif left == 0:
            when, when_en = "今日です", "is today"
        else:
            when, when_en = f"あと{left}日です", f"is in {left} day(s)"
        out.append(Finding(
            code=CODE, severity="high" if left <= 1 else "medium",
            message=(f"{deadline.name}の期限（{day_ja(deadline.due)}）は{when}が、報告の"
                     f"{len(missing)}項目が未確認です: {named}。"
                     "分かっている範囲で記載し、未確認の項目は判明次第追完する旨を書いてください。"),
            message_en=(f"The {deadline.name_en} deadline ({deadline.due.isoformat()}) {when_en} "
                        f"and {len(missing)} item(s) of the report are still unknown. File what "
                        "is known and say the rest will follow."),
            fix="documents:ppc-report", fix_anchor="missing",
            details={"deadline": deadline.kind, "due": deadline.due.isoformat(),
                     "days_left": left, "missing": missing}))
    return out
