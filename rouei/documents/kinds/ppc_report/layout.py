"""The PPC report laid out in the order the PPC's online form asks for it (the header, then
規則8条1項1号–9号), in the words a clerk copies field by field. Pure Python: the content
(``context.build``) in, a ``Layout`` out."""

from __future__ import annotations

import datetime as dt

from rouei.documents.layout import Field, Layout, Section
from rouei.domain.jdates import format_date

MISSING = "（未確認）"

_TASK_STATUS = {"done": "実施済み", "in_progress": "実施中", "todo": "未着手",
                "planned": "予定", "not_needed": "不要"}


def _dt(value: str | None) -> str:
    if not value:
        return ""
    local = dt.datetime.fromisoformat(value).astimezone(dt.timezone(dt.timedelta(hours=9)))
    return f"{format_date(local.date())}{local.hour}時{local.minute:02d}分"


def _d(value: str | None) -> str:
    return format_date(dt.date.fromisoformat(value)) if value else ""


def _field(key: str, label: str, value) -> Field:
    text = "" if value is None else str(value)
    return Field(key, label, text or MISSING, missing=not text)


def _task(line: dict) -> str:
    if line.get("group_label"):  # a measure of the prevention plan: its group first
        line = {**line, "title": f"【{line['group_label']}】{line['title']}"}
    if line["status"] == "done":
        when = _d(line["completed_on"])
        return f"{line['title']}（{when}実施）" if when else f"{line['title']}（実施済み）"
    due = _d(line["due"])
    status = _TASK_STATUS.get(line["status"], line["status"])
    return f"{line['title']}（{status}" + (f"・期日 {due}）" if due else "）")


def _lines(lines: list[str]) -> str:
    return "\n".join(f"・{line}" for line in lines)


def layout(report: dict) -> Layout:
    ov = report["overview"]
    meta = ov["report"]
    items, people, cause = report["items"], report["people"], report["cause"]
    damage, response = report["secondary_damage"], report["response_to_individuals"]
    publication, prevention, other = report["publication"], report["prevention"], report["other"]

    head = (
        _field("overview.report.stage_label", "報告の種類", meta["stage_label"]),
        _field("overview.report.drafted_on_text", "報告年月日", meta["drafted_on_text"]),
        _field("overview.report.reporter", "報告者の名称", meta["reporter"]),
        _field("overview.triggers", "該当する事態（規則7条）",
               "、".join(t["label"] for t in ov["triggers"])
               + ("（要確認: " + "、".join(t["label"] for t in ov["possible_triggers"]) + "）"
                  if ov["possible_triggers"] else "")),
    )
    chronology = "\n".join(f"{_dt(e['at'])}　{e['text']}" for e in ov["chronology"])
    s1 = Section("1", "概要", (
        _field("overview.occurred_at", "発生日時", _dt(ov["occurred_at"])),
        _field("overview.detected_at", "発覚日時", _dt(ov["detected_at"])),
        _field("overview.knew_at", "漏えい等を知った日時", _dt(ov["knew_at"])),
        _field("overview.event_text", "発生した事態", ov["event_text"]),
        _field("overview.summary", "事案の概要", ov["summary"]),
        _field("overview.discovered_by", "発見者・発覚の経緯", ov["discovered_by"]),
        _field("overview.entrustment_text", "委託元・委託先の有無", ov["entrustment_text"]),
        _field("overview.chronology", "事実経過", chronology),
    ), "規則8条1項1号")
    medium = items["medium"]
    if medium and items["medium_inferred"]:
        medium += "（原因から推定）"
    s2 = Section("2", "漏えい等が発生し、又は発生したおそれがある個人データの項目", (
        _field("items.items", "項目", "、".join(i["label"] for i in items["items"])),
        _field("items.medium", "媒体", medium),
        _field("items.subject_kind", "本人の種類", items["subject_kind"]),
    ), "規則8条1項2号")
    s3 = Section("3", "漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数", (
        _field("people.text", "本人の数", people["text"]),
    ), "規則8条1項3号")
    s4 = Section("4", "原因", (
        _field("cause.category_label", "原因の種類", cause["category_label"]),
        _field("cause.actor_label", "原因の主体", cause["actor_label"]),
        _field("cause.where_label", "発生した場所（取扱いの主体）", cause["where_label"]),
        _field("cause.details", "原因の詳細", cause["details"]),
    ), "規則8条1項4号")
    s5 = Section("5", "二次被害又はそのおそれの有無及びその内容", (
        _field("secondary_damage.status", "二次被害の有無", damage["status_label"]),
        _field("secondary_damage.details", "二次被害の内容", damage["details"]),
    ), "規則8条1項5号")
    s6 = Section("6", "本人への対応の実施状況", (
        _field("response_to_individuals.status", "実施状況", response["status_label"]),
        _field("response_to_individuals.measures", "対応の内容",
               _lines([_task(m) for m in response["measures"]])),
    ), "規則8条1項6号")
    published = [f"{n['label']}（{_dt(n['published_at'])}公表）"
                 for n in publication.get("notices", ())]
    s7 = Section("7", "公表の実施状況", (
        _field("publication.status", "実施状況", publication["status_label"]),
        _field("publication.measures", "公表の内容", _lines([_task(m) for m in
                                                        publication["measures"]])),
        # The public notice's versions, once one is published (rouei.documents.models).
        *((_field("publication.notices", "公表した版", _lines(published)),) if published
          else ()),
    ), "規則8条1項7号")
    s8 = Section("8", "再発防止のための措置", (
        _field("prevention.done", "実施済みの措置", _lines([_task(m) for m in
                                                        prevention["done"]])),
        _field("prevention.planned", "今後実施する措置", _lines([_task(m) for m in
                                                          prevention["planned"]])),
    ), "規則8条1項8号")
    filed = [f"{r['label']}: {_dt(r['filed_at'])}提出" + (f"（受付番号 {r['receipt_number']}）"
                                                          if r["receipt_number"] else "")
             for r in other["filed_reports"]]
    s9 = Section("9", "その他参考となる事項", (
        _field("other.measures", "関係機関等への対応", _lines([_task(m) for m in
                                                         other["measures"]])),
        _field("other.filed_reports", "これまでの報告", _lines(filed)),
    ), "規則8条1項9号")
    notes = []
    changes = other.get("changes_since_last_filed")
    if changes:
        since = changes["since"]
        notes.append(f"前回の報告（{since['label']}・{_dt(since['filed_at'])}提出）からの変更: "
                     + ("、".join(c["label"] for c in changes["fields"]) or "なし"))
    if report["missing"]:
        notes.append("未確認の事項: " + "、".join(m["label"] for m in report["missing"])
                     + "（判明次第、追完します）")
    return Layout(
        title="個人データの漏えい等の事案に関する報告",
        subtitle=f"（{meta['stage_label']}）　個人情報の保護に関する法律第26条第1項",
        head=head, sections=(s1, s2, s3, s4, s5, s6, s7, s8, s9), notes=tuple(notes))
