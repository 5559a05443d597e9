"""The My Number Act report's content (特定個人情報の漏えい等に関する報告, 番号法29条の4第1項), built
from the incident. The report's items (特定個人情報漏えい等報告規則3条1項: 概要, 特定個人情報の項目,
本人の数, 原因, 二次被害, 本人への対応, 公表, 再発防止策, その他) are those of the APPI report
(施行規則8条1項) for 特定個人情報, so the nine items are the PPC report's (``ppc_report.context``);
what differs is taken from the My Number side of the assessment: the triggers of 規則2条, the
deadlines (速報 in about 3–5 days, 確報 in 30 days, 60 for 不正の目的: appi.md §6), and the
filings recorded as ``my_number``.

The returned mapping is the JSON export: the PPC report's keys (``REPORT_KEYS``) and
``applicability`` (does the My Number Act report apply, and why) and ``unclear`` (where the law
or the form leaves the answer open: the page shows them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from rouei.documents.kinds.ppc_report import context as ppc
from rouei.domain.jdates import wareki

STAGES = ("preliminary", "final")
STAGE_LABELS = {"preliminary": "速報", "final": "確報"}
FILED_KIND = "my_number"  # rouei.domain.duties.MY_NUMBER: one kind for its filings
REPORT_KEYS = (*ppc.REPORT_KEYS, "applicability", "unclear")
ARTICLE = "行政手続における特定の個人を識別するための番号の利用等に関する法律第29条の4第1項"
RULES = "特定個人情報漏えい等報告規則"  # 平成27年特定個人情報保護委員会規則第5号

# Where the sources consulted (appi.md §6, §12) leave the answer open: shown on the page and
# kept in the JSON, so that nobody mistakes rouei's choice for the law's.
UNCLEAR = (
    {"code": "one_filing",
     "text": "番号法の報告（特定個人情報の様式）を提出すれば個人情報保護法26条の報告も済むのかは、"
             "参照した資料には明記されていません。個人情報保護委員会の報告フォームはマイナンバーを含む"
             "事案を番号法の様式に案内します。両方の義務がある場合は、委員会に確認してください。",
     "text_en": "Whether one filing on the My Number form also discharges the APPI report is not "
                "stated in the sources consulted; the PPC's form routes cases with My Numbers to "
                "the My Number form. Where both duties apply, ask the PPC."},
    {"code": "people_scope",
     "text": "本人の数は事実の記録の人数（義務の判定と同じ）です。特定個人情報（マイナンバーを含む"
             "情報）に係る本人がその一部のときは、その人数に直してください。",
     "text_en": "The number of people is the one in the facts (as the duty engine uses it); if "
                "only some of them had My Numbers involved, give that number instead."},
    {"code": "stages_recorded_once",
     "text": "提出の記録は番号法の報告を1種類（my_number）で扱い、速報と確報を区別しません。確報の"
             "期限は判定結果から表示します。",
     "text_en": "rouei records My Number filings as one kind (my_number), not 速報 and 確報 apart; "
                "the 確報 deadline is shown from the assessment."},
    {"code": "item_numbers",
     "text": "各項目に付けた規則3条1項の号の番号は、ドメイン資料の項目の順によるもので、公布された"
             "条文との照合はしていません。委員会の報告フォームの項目の並びとも異なることがあります。",
     "text_en": "The item numbers cited (規則3条1項, 1–9) follow the order of the items in the "
                "domain reference and were not checked against the official text; the PPC's form "
                "may order the fields differently."},
)


@dataclass(frozen=True)
class Availability:
    """Whether the kind is offered for an incident, and why (or why not) in both languages."""

    offered: bool
    status: str  # "applies" | "not_applicable" | "undecided" | "no_my_number" | "no_facts"
    why: str
    why_en: str
    details: tuple[str, ...] = ()


def _regime(incident):
    snapshot = incident.latest_snapshot()
    return snapshot, (snapshot.assessment.my_number_act if snapshot else None)


def availability(incident) -> Availability:
    """Offered where the duty engine says the My Number Act report is owed (番号法29条の4第1項,
    規則2条); otherwise why not, with each trigger's finding."""
    snapshot, regime = _regime(incident)
    if snapshot is None:
        return Availability(False, "no_facts", "事実が未入力のため、番号法の報告が必要か判断できません。",
                            "No facts yet: whether the My Number Act report applies is unknown.")
    if regime is None:
        return Availability(
            False, "no_my_number",
            "漏えい等した項目に個人番号（マイナンバー）がなく、番号法に違反する利用・提供も記録されて"
            "いないため、番号法29条の4の報告の対象ではありません。項目に個人番号があれば判定します。",
            "No My Number among the items and no unlawful use or provision recorded: the My "
            "Number Act report (Art. 29-4) does not apply. Add my_number to the items if "
            "My Numbers were involved.")
    triggers = tuple(f"{f.label('ja')}: {f.text('ja')}" for f in regime.findings
                     if f.kind == "trigger")
    if regime.report_required:
        return Availability(True, "applies", "番号法29条の4第1項の報告が必要です（規則2条）。",
                            "The My Number Act report is owed (Art. 29-4(1), rules Art. 2).",
                            tuple(f"{f.label('ja')}: {f.text('ja')}" for f in regime.findings
                                  if f.kind == "trigger" and f.id in regime.triggers))
    if regime.report_required is None:
        return Availability(
            False, "undecided",
            "番号法の報告が必要か、まだ決まっていません（要確認）。次の事実が分かれば判定します: "
            + "、".join(u.text("ja") for u in regime.unknowns),
            "Whether the My Number Act report is owed is not decided yet; it depends on: "
            + ", ".join(u.text("en") for u in regime.unknowns), triggers)
    return Availability(
        False, "not_applicable",
        "番号法の報告対象の事態（規則2条1号〜4号）に当たりません。報告対象でない漏えい等も、"
        "委員会への報告に努めることとされています（努力義務。高度な暗号化等の場合を除く。"
        "事業者編ガイドライン別添2）。",
        "None of the reportable situations (rules Art. 2(i)–(iv)) applies. Businesses should "
        "still try to report (a duty to endeavour, except with advanced encryption; the "
        "guidelines' annex 2).", triggers)


def default_stage(incident) -> str:
    """速報 until a My Number filing is recorded, then 確報."""
    return "final" if incident.filed_reports.filter(kind=FILED_KIND).exists() else "preliminary"


def _deadlines(regime, filed: list) -> dict[str, dt.date | None]:
    window = regime.preliminary_report_window if regime else None
    return {"preliminary": window[1] if window and not filed else None,
            "final": regime.final_report_due if regime and len(filed) < 2 else None}


def build(incident, stage: str | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """The My Number Act report for ``stage`` (速報・確報) as the JSON export."""
    stage = stage or default_stage(incident)
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    now = now or timezone.now()
    # The nine items as the APPI report fills them (no "changes since": that compares APPI
    # filings); then the My Number side put in their place.
    report = ppc.build(incident, "preliminary", now)
    _, regime = _regime(incident)
    filed = list(incident.filed_reports.filter(kind=FILED_KIND).order_by("filed_at", "id"))
    due = _deadlines(regime, filed)
    findings = {f.id: f for f in regime.findings} if regime else {}
    overview = report["overview"]
    overview["triggers"] = [{"id": t, "label": findings[t].label("ja") if t in findings else t,
                             "citation": findings[t].citation if t in findings else ""}
                            for t in (regime.triggers if regime else ())]
    overview["possible_triggers"] = [{"id": t, "label": findings[t].label("ja")
                                      if t in findings else t}
                                     for t in (regime.possible_triggers if regime else ())]
    overview["report"] = {
        **overview["report"],
        "kind": "my-number-report",
        "stage": stage,
        "stage_label": STAGE_LABELS[stage],
        "drafted_on_text": wareki(ppc.jst(now).date()),
        "preliminary_due": due["preliminary"].isoformat() if due["preliminary"] else None,
        "final_due": due["final"].isoformat() if due["final"] else None,
        "final_report_days": regime.final_report_days if regime else None,
    }
    items = report["items"]
    items["my_number_included"] = any(i["id"] == "my_number" for i in items["items"])
    report["other"]["filed_reports"] = [
        {"kind": r.kind, "label": "番号法に基づく報告", "filed_at": ppc.jst(r.filed_at).isoformat(),
         "receipt_number": r.receipt_number or None} for r in filed]
    report["other"]["changes_since_last_filed"] = None
    report["missing"] = ppc.missing_items(
        report, due, relabel=lambda label: label.replace("個人データ", "特定個人情報"))
    offered = availability(incident)
    report["applicability"] = {"offered": offered.offered, "status": offered.status,
                               "why": offered.why, "why_en": offered.why_en,
                               "details": list(offered.details)}
    report["unclear"] = [dict(u) for u in UNCLEAR]
    return report
