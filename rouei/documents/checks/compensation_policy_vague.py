"""A compensation policy that promises something without saying to whom (scope) or how (the
claim procedure). A voucher counts as part payment of damages, so what was offered must be
exact (notices-and-victims.md §5); callers ask "is there compensation, and how do I get it?"."""

from __future__ import annotations

from rouei.documents.checks import CheckInput, Finding, join_en, join_ja

CODE = "check.compensation_policy_vague"
TITLE = "補償方針に対象者または手続が定まっていない"
TITLE_EN = "A compensation policy without scope or procedure"


def check(data: CheckInput) -> list[Finding]:
    policy = data.compensation
    if policy is None or policy.mode == "none":
        return []
    lacking, lacking_en = [], []
    if not policy.has_scope:
        lacking.append("対象者と金額（確認済みの方・可能性のある方・データの種類別）")
        lacking_en.append("who is eligible and for how much")
    if policy.mode == "claim" and policy.claim_deadline is None:
        lacking.append("申請の受付期限")
        lacking_en.append("the deadline for claims")
    if not lacking:
        return []
    return [Finding(
        code=CODE, severity="medium",
        message=f"補償をすると決めていますが、{join_ja(lacking)}が定まっていません。"
                "お知らせや窓口で説明できるよう、補償方針に記録してください。",
        message_en=f"Compensation is decided, but not {join_en(lacking_en)}. Record it in the "
                   "policy so that the notice and the contact window can explain it.",
        fix="people:compensation", details={"lacking": lacking_en})]
