"""The public notice published last gives other numbers of people or other data items than the
PPC report (the last one filed or, before any filing, the report as drafted now), and no reason
is recorded: outsiders read both, and figures that disagree without a word are one of the
classic mistakes (notices-and-victims.md §1, §3: each text says what is known, and a count that
moves must say why). The fix is a new version of the notice, a 追完, or a recorded reason."""

from __future__ import annotations

import re

from rouei.documents.checks import JST, CheckInput, Finding, day_ja, join_ja

CODE = "check.notice_contradicts_report"
TITLE = "公表文の人数・項目が個人情報保護委員会への報告と食い違い、理由が記録されていない"
TITLE_EN = "The public notice's people or items differ from the PPC report, no reason recorded"
# A recorded reason (``do_record_check_reason``) answers it.
ACCEPTS_REASON = True

# The notice's figures (``public_notice.context._figures``) against the report's numbers.
PEOPLE_FIGURES = (("people_confirmed", "people_confirmed", "本人の数（確認済み）"),
                  ("people_total", "people_estimated", "本人の数（可能性を含む）"))
_DIGITS = re.compile(r"\d[\d,]*")


def _count(value: str) -> int | None:
    """「1,234名」「約1,500名」「最大1,500名」 → the number."""
    found = _DIGITS.search(value)
    return int(found.group().replace(",", "")) if found else None


def check(data: CheckInput) -> list[Finding]:
    if not data.published_notices:
        return []
    notice = data.published_notices[-1]
    if data.filings:
        last = data.filings[-1]
        report, name, since = last.numbers, last.name, last.filed_at
        name_en = f"{last.kind} report filed"
    else:
        report, name, since, name_en = data.current, "報告書（案）", None, "report draft"
    answered_after = max(notice.published_at, since) if since else notice.published_at
    reason_at = data.reasons.get(CODE)
    if reason_at is not None and reason_at >= answered_after:
        return []
    figures = {key: value for key, _label, value in notice.figures}
    changes, fields = [], []
    for figure_key, report_key, label in PEOPLE_FIGURES:
        said, filed = _count(figures.get(figure_key, "")), getattr(report, report_key)
        if said is not None and filed is not None and said != filed:
            changes.append(f"{label} 公表文 {said:,}人／報告 {filed:,}人")
            fields.append(report_key)
    said_items = [i for i in figures.get("items", "").split("、") if i]
    if said_items and report.items and set(said_items) != set(report.items):
        only_notice = [i for i in said_items if i not in report.items]
        only_report = [i for i in report.items if i not in said_items]
        if only_report:
            changes.append(f"報告のみの項目: {join_ja(only_report)}")
        if only_notice:
            changes.append(f"公表文のみの項目: {join_ja(only_notice)}")
        fields.append("items")
    if not changes:
        return []
    where = (f"提出済みの{name}（{day_ja(since.astimezone(JST).date())}）" if since
             else "報告書（案）")
    return [Finding(
        code=CODE, severity="medium",
        message=(f"公表文（{notice.label}）と{where}で数字が食い違っています: "
                 f"{'、'.join(changes)}。公表文を更新するか追完で報告し、食い違う理由を"
                 "記録してください。"),
        message_en=(f"The public notice ({notice.label}) and the {name_en} disagree "
                    f"({', '.join(fields)}). Publish an update or file a supplement, and "
                    "record why they differ."),
        fix="documents:notices",
        details={"notice": notice.label, "report": "filed" if since else "draft",
                 "fields": fields})]
