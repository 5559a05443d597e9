"""Silence while "still investigating": days pass after 知った日 with no public notice and no
reason recorded for waiting. Real notices that came late had to explain why (card leaks: a
paragraph 「公表までに時間を要した理由」; notices-and-victims.md §3); publication itself is
recommended, not required (GL 3-5-2), so a company that decided not to publish (the
publication task marked 不要) is not warned."""

from __future__ import annotations

from rouei.documents.checks import CheckInput, Finding

CODE = "check.public_notice_silence"
TITLE = "知った日から日数が経過しても公表がなく、理由も記録されていない"
TITLE_EN = "Days pass after the company knew, with no public notice and no reason recorded"
# A recorded reason (``do_record_check_reason``) answers it (see check below).
ACCEPTS_REASON = True
# From day 3 (the 速報's guide starts there) it is a warning, from day 6 (past the guide) a
# serious one: by then callers and the press ask why nothing was said.
WARN_FROM_DAY = 3
HIGH_FROM_DAY = 6


def check(data: CheckInput) -> list[Finding]:
    day = data.days_since_knew()
    if day is None or day < WARN_FROM_DAY or data.published_notices:
        return []
    if data.publication_expected is False:
        return []
    reason_at = data.reasons.get(CODE)
    if reason_at is not None and reason_at.date() >= data.knew_on:
        return []
    return [Finding(
        code=CODE, severity="high" if day >= HIGH_FROM_DAY else "medium",
        message=(f"知った日から{day}日目ですが、公表（お知らせ）がまだなく、公表しない・待つ理由も"
                 "記録されていません。分かっていることだけでも第一報を出すか、待つ理由を記録して"
                 "ください（後で「公表までに時間を要した理由」を説明することになります）。"),
        message_en=(f"Day {day} since the company knew, and no public notice yet, nor a reason "
                    "recorded for waiting. Publish a first notice with what is known, or record "
                    "why you wait (you will have to explain the delay later)."),
        fix="incidents:detail", fix_anchor="checks", details={"day": day})]
