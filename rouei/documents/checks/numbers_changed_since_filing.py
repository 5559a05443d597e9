"""The number of people or the data items now differ from the PPC report last filed, and no
explanation is recorded: each version must agree with the last unless it says what changed
(notices-and-victims.md §3; counts grow between versions, §1). The fix is a 追完 (GL 3-5-3-3)
or a recorded reason."""

from __future__ import annotations

from rouei.documents.checks import JST, CheckInput, Finding, day_ja, join_ja

CODE = "check.numbers_changed_since_filing"
TITLE = "提出済みの報告と現在の人数・項目が食い違い、説明が記録されていない"
TITLE_EN = "Numbers differ from the report filed, with no explanation recorded"
# A recorded reason (``do_record_check_reason``) answers it (see check below).
ACCEPTS_REASON = True


def _people(value: int | None) -> str:
    return f"{value:,}人" if value is not None else "不明"


def check(data: CheckInput) -> list[Finding]:
    if not data.filings:
        return []
    last = data.filings[-1]
    reason_at = data.reasons.get(CODE)
    if reason_at is not None and reason_at >= last.filed_at:
        return []
    before, now = last.numbers, data.current
    changes, fields = [], []
    for label, key in (("本人の数（確認済み）", "people_confirmed"),
                       ("本人の数（推計）", "people_estimated")):
        old, new = getattr(before, key), getattr(now, key)
        if old != new:
            changes.append(f"{label} {_people(old)} → {_people(new)}")
            fields.append(key)
    added = [i for i in now.items if i not in before.items]
    removed = [i for i in before.items if i not in now.items]
    if added:
        changes.append(f"項目の追加: {join_ja(added)}")
        fields.append("items")
    if removed:
        changes.append(f"項目の削除: {join_ja(removed)}")
        fields.append("items")
    if not changes:
        return []
    filed_on = day_ja(last.filed_at.astimezone(JST).date())
    return [Finding(
        code=CODE, severity="medium",
        message=(f"提出済みの{last.name}（{filed_on}）と現在の事実が食い違っています: "
                 f"{'、'.join(changes)}。追完で報告するか、変わった理由を記録してください。"),
        message_en=(f"The facts now differ from the {last.kind} report filed on "
                    f"{last.filed_at.astimezone(JST).date().isoformat()} "
                    f"({', '.join(dict.fromkeys(fields))}). File a supplement or record why "
                    "they changed."),
        fix="documents:ppc-report", fix_anchor="changes",
        details={"since": last.kind, "filed_at": last.filed_at.isoformat(),
                 "fields": list(dict.fromkeys(fields))})]
