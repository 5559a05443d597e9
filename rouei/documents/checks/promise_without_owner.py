"""A promise nobody carries: a task the PPC report tells outsiders will be done (6 本人への対応,
7 公表, 8 再発防止策: planned measures are reported with their target dates, GL 3-5-3-3), or a
measure of the prevention plan, with no owner or no due date. Vague prevention promises are a
classic mistake (issue 13)."""

from __future__ import annotations

from rouei.documents.checks import CheckInput, Finding, join_ja

CODE = "check.promise_without_owner"
TITLE = "約束した対応・再発防止策に担当者または期日がない"
TITLE_EN = "A promised action or measure has no owner or due date"
LISTED = 5


def check(data: CheckInput) -> list[Finding]:
    vague = [p for p in data.promises if not p.has_owner or p.due is None]
    if not vague:
        return []
    no_owner = sum(1 for p in vague if not p.has_owner)
    no_due = sum(1 for p in vague if p.due is None)
    titles = [p.title for p in vague]
    named = join_ja(titles[:LISTED]) + (f"ほか{len(titles) - LISTED}件"
                                        if len(titles) > LISTED else "")
    return [Finding(
        code=CODE, severity="low",
        message=(f"報告・お知らせで約束する対応{len(vague)}件に担当者または期日がありません"
                 f"（担当者なし{no_owner}件、期日なし{no_due}件）: {named}。"
                 "約束が宙に浮かないよう、担当者と期日を決めてください。"),
        message_en=(f"{len(vague)} promised action(s) lack an owner ({no_owner}) or a due date "
                    f"({no_due})."),
        fix="playbooks:tasks", details={"titles": titles, "without_owner": no_owner,
                                        "without_due_date": no_due})]
