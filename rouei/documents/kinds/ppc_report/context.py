"""The PPC report's content (個人情報保護委員会への漏えい等報告: 速報・確報・追完), built from the
incident: the nine items of 個人情報保護法施行規則8条1項 in the structure of the domain reference
(notices-and-victims.md §1), and what cannot be filled yet as ``missing`` with the deadline it
threatens.

Sources: the facts version (dates, event, items, people, cause, entrustment), its assessment
(which 規則7条 items apply, the 速報 guide and the 確報 due date), the timeline (who found it, the
dated chronology), the playbook tasks (response to the people, publication, measures done and
planned, police and card companies), and the filed-report records (提出記録: what was filed and
when, and the report as it stood at the last filing, for "what changed since").

The returned mapping is the JSON export: its top-level keys are fixed (``REPORT_KEYS``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from rouei.domain.facts import Cause, Event, Facts
from rouei.domain.items import ITEMS
from rouei.domain.jdates import format_date, wareki
from rouei.prevention.services import report_lines

JST = ZoneInfo("Asia/Tokyo")

STAGES = ("preliminary", "final", "supplement")
STAGE_LABELS = {"preliminary": "速報", "final": "確報", "supplement": "追完"}
# The keys of the JSON export (issue 13's interface): the nine items and what is missing.
REPORT_KEYS = ("overview", "items", "people", "cause", "secondary_damage",
               "response_to_individuals", "publication", "prevention", "other", "missing")

EVENT_LABELS = {Event.LEAK: "漏えい", Event.LOSS: "滅失", Event.DAMAGE: "毀損"}
CAUSE_LABELS = {
    Cause.MISDELIVERY: "誤送付・誤送信",
    Cause.LOST_DEVICE: "紛失・置き忘れ",
    Cause.THEFT: "盗難",
    Cause.UNAUTHORIZED_ACCESS: "不正アクセス",
    Cause.MALWARE: "マルウェア感染",
    Cause.RANSOMWARE: "ランサムウェア",
    Cause.INSIDER_THEFT: "従業者による持ち出し",
    Cause.MISCONFIGURATION: "設定の誤り",
    Cause.VENDOR: "委託先における事故",
    Cause.OTHER: "その他",
}
ACTOR_LABELS = {"self": "報告者（自社）", "vendor": "委託先", "third_party": "第三者（外部の者）"}
# Causes done by an outsider against the reporter's (or its vendor's) systems or things.
_OUTSIDER_CAUSES = {Cause.UNAUTHORIZED_ACCESS, Cause.MALWARE, Cause.RANSOMWARE, Cause.THEFT}
# The medium follows from these causes alone (the data was on servers or devices).
_ELECTRONIC_CAUSES = {Cause.UNAUTHORIZED_ACCESS, Cause.MALWARE, Cause.RANSOMWARE,
                      Cause.MISCONFIGURATION}
SECONDARY_LABELS = {"occurred": "有", "none": "無", "not_confirmed": "確認されていない（調査中）"}

# Playbook task keys (rouei/playbooks/data/initial_playbooks.yaml) by the report item they feed;
# a task under no key here (the playbooks' containment and prevention steps, or one added by
# hand) is a measure of item 8.
RESPONSE_TASKS = ("notify_individuals", "contact_window", "card_reissue", "recipient_delete")
PUBLICATION_TASKS = ("public_notice", "card_publication")
OTHER_TASKS = ("police_report", "criminal_complaint", "consult_counsel", "start_forensics",
               "pfi_investigation", "card_acquirer_contact", "vendor_report", "contact_vendor",
               "preserve_evidence", "exfiltration_check")
REPORT_TASKS = ("preliminary_report", "final_report")
# The chronology of item 1 shows what happened, not rouei's bookkeeping.
CHRONOLOGY_KINDS = ("occurred", "detected", "knew", "action", "report_filed")
FILED_KINDS = ("preliminary", "final", "supplement")  # the APPI report's filings


def jst(value: dt.datetime) -> dt.datetime:
    return value.astimezone(JST)


def date_text(value: dt.date | None) -> str:
    return format_date(value) if value else ""


def datetime_text(value: dt.datetime | None) -> str:
    """2026年11月18日（水）10時20分 (JST)."""
    if value is None:
        return ""
    local = jst(value)
    return f"{format_date(local.date())}{local.hour}時{local.minute:02d}分"


def _iso(value) -> str | None:
    """ISO 8601; a time in JST (+09:00), as the company and the PPC read it."""
    if isinstance(value, dt.datetime):
        value = jst(value)
    return value.isoformat() if value is not None else None


# --- what the incident holds, as it stood at a time -----------------------------------------

class State:
    """The incident's records as they stood at ``as_of`` (None: now)."""

    def __init__(self, incident, as_of: dt.datetime | None):
        self.incident, self.as_of = incident, as_of
        versions = incident.facts_versions.order_by("number")
        version = None
        if as_of is not None:
            version = versions.filter(created_at__lte=as_of).last()
        # Before any version was saved (facts entered after the filing): the first one.
        self.facts_version = version or (versions.first() if as_of else versions.last())
        self.facts: Facts = (self.facts_version.as_facts() if self.facts_version
                             else Facts())
        self.snapshot = (self.facts_version.snapshots.order_by("-id").first()
                         if self.facts_version else None)
        timeline = incident.timeline.filter(kind__in=CHRONOLOGY_KINDS)
        filed = incident.filed_reports.filter(kind__in=FILED_KINDS)
        if as_of is not None:
            timeline = timeline.filter(at__lte=as_of)
            filed = filed.filter(filed_at__lt=as_of)
        self.timeline = list(timeline.order_by("at", "id"))
        self.filed = list(filed.order_by("filed_at", "id"))
        self.tasks = list(incident.tasks.all()) if hasattr(incident, "tasks") else []

    def task_status(self, task) -> str:
        if task.status == "done" and self.as_of is not None and (
                task.completed_at is None or task.completed_at > self.as_of):
            return "in_progress"
        return task.status

    def tasks_for(self, keys) -> list:
        return [t for t in self.tasks if t.key in keys and self.task_status(t) != "not_needed"]


# --- the items --------------------------------------------------------------------------------

def _overview(state: State) -> dict[str, Any]:
    facts, incident = state.facts, state.incident
    assessment = state.snapshot.assessment if state.snapshot else None
    findings = {f.id: f for f in assessment.appi.findings} if assessment else {}
    triggers = [{"id": t, "label": findings[t].label("ja") if t in findings else t,
                 "citation": findings[t].citation if t in findings else ""}
                for t in (assessment.appi.triggers if assessment else ())]
    possible = [{"id": t, "label": findings[t].label("ja") if t in findings else t}
                for t in (assessment.appi.possible_triggers if assessment else ())]
    detected = next((e for e in state.timeline if e.kind == "detected"), None)
    event = None
    if facts.event is not None:
        event = EVENT_LABELS[facts.event] + ("のおそれ" if facts.possibility_only else "")
    if facts.vendor_involved is None and facts.role is None:
        entrustment = None
    elif facts.role is not None and facts.role.value == "processor":
        entrustment = "有（当社は委託先。委託元の名称は未記録）"
    elif facts.vendor_involved:
        entrustment = "有（委託先が関与。委託先の名称は未記録）"
    else:
        entrustment = "無"
    return {
        "occurred_at": _iso(facts.occurred_at),
        "detected_at": _iso(facts.detected_at),
        "knew_at": _iso(facts.knew_at),
        "event": facts.event.value if facts.event else None,
        "possibility_only": facts.possibility_only,
        "event_text": event,
        "summary": incident.summary or None,
        "discovered_by": detected.text if detected else None,
        "triggers": triggers,
        "possible_triggers": possible,
        "vendor_involved": facts.vendor_involved,
        "role": facts.role.value if facts.role else None,
        "entrustment_text": entrustment,
        "chronology": [{"at": _iso(e.at), "kind": e.kind, "text": e.text}
                       for e in state.timeline],
    }


def _items(state: State) -> dict[str, Any]:
    facts = state.facts
    items = [{"id": i, "label": ITEMS[i].label_ja if i in ITEMS else i,
              "sensitive": ITEMS[i].sensitive if i in ITEMS else False}
             for i in (facts.items or ())]
    medium = None
    if facts.cause in _ELECTRONIC_CAUSES:
        medium = "電子データ（サーバー・システム上のデータ）"
    elif facts.cause == Cause.LOST_DEVICE:
        medium = "電子データ（紛失・盗難された端末・記録媒体）"
    return {
        "items": items,
        "medium": medium,
        "medium_inferred": medium is not None,
        # Customers, employees …: the facts do not record it yet.
        "subject_kind": None,
    }


def _people(state: State) -> dict[str, Any]:
    facts = state.facts
    parts = []
    if facts.people_confirmed is not None:
        parts.append(f"{facts.people_confirmed:,}人（確認済み）")
    if facts.people_estimated is not None:
        bound = "（最大）" if facts.people_is_upper_bound else "（推計）"
        parts.append(f"{facts.people_estimated:,}人{bound}")
    return {
        "confirmed": facts.people_confirmed,
        "estimated": facts.people_estimated,
        "is_upper_bound": facts.people_is_upper_bound,
        "text": "、".join(parts) or None,
    }


def _cause(state: State) -> dict[str, Any]:
    facts = state.facts
    actor = None
    if facts.cause == Cause.VENDOR or (facts.vendor_involved and facts.cause not in
                                       _OUTSIDER_CAUSES):
        actor = "vendor"
    elif facts.cause in _OUTSIDER_CAUSES:
        actor = "third_party"
    elif facts.cause is not None and facts.cause != Cause.OTHER:
        actor = "vendor" if facts.vendor_involved else "self"
    where = None
    if facts.vendor_involved is not None:
        where = "vendor" if facts.vendor_involved else "self"
    return {
        "category": facts.cause.value if facts.cause else None,
        "category_label": CAUSE_LABELS[facts.cause] if facts.cause else None,
        "actor": actor,
        "actor_label": ACTOR_LABELS[actor] if actor else None,
        "where": where,  # whose handling it happened in: the reporter's or its vendor's
        "where_label": ACTOR_LABELS[where] if where else None,
        "malicious": facts.malicious,
        "details": None,  # how it happened: not recorded as a fact yet
    }


def _secondary_damage(state: State) -> dict[str, Any]:
    # Three answers that must stay apart (有 / 無 / 確認されていない): none is recorded yet, so
    # the status is unknown (null), never "none".
    return {"status": None, "status_label": None, "details": None,
            "choices": dict(SECONDARY_LABELS)}


def _task_line(state: State, task) -> dict[str, Any]:
    status = state.task_status(task)
    return {
        "key": task.key,
        "title": task.title,
        "status": status,
        "completed_on": (jst(task.completed_at).date().isoformat()
                         if status == "done" and task.completed_at else None),
        "due": task.due_date.isoformat() if task.due_date and status != "done" else None,
    }


def _status_of(lines: list[dict]) -> str | None:
    statuses = {line["status"] for line in lines}
    if not statuses:
        return None
    if statuses == {"done"}:
        return "done"
    if statuses & {"done", "in_progress"}:
        return "in_progress"
    return "planned"


RESPONSE_STATUS_LABELS = {"done": "実施済み", "in_progress": "実施中", "planned": "実施予定"}


def _response(state: State) -> dict[str, Any]:
    lines = [_task_line(state, t) for t in state.tasks_for(RESPONSE_TASKS)]
    status = _status_of(lines)
    if state.facts.notified_principal:
        status = "done"
    return {"status": status, "status_label": RESPONSE_STATUS_LABELS.get(status or ""),
            "notified": state.facts.notified_principal, "measures": lines}


def _publication(state: State) -> dict[str, Any]:
    lines = [_task_line(state, t) for t in state.tasks_for(PUBLICATION_TASKS)]
    status = _status_of(lines)
    not_needed = [t for t in state.tasks if t.key in PUBLICATION_TASKS
                  and state.task_status(t) == "not_needed"]
    if status is None and not_needed:
        status = "none"
    # The versions of the public notice published by then (rouei.documents.models): a
    # publication is done once the first one is out, whatever the task says.
    versions = state.incident.notice_versions.order_by("number")
    if state.as_of is not None:
        versions = versions.filter(published_at__lte=state.as_of)
    notices = [{"number": v.number, "label": v.content["notice"]["version_label"],
                "published_at": _iso(v.published_at), "sha256": v.sha256} for v in versions]
    if notices:
        status = "done"
    labels = {**RESPONSE_STATUS_LABELS, "none": "公表しない"}
    return {"status": status, "status_label": labels.get(status or ""), "measures": lines,
            "notices": notices}


def _prevention(state: State) -> dict[str, Any]:
    """Item 8 from the prevention plan (rouei/prevention) where the incident has measures;
    until then from the playbook tasks that feed no other item."""
    measures = report_lines(state.incident, state.as_of)
    if measures is not None:
        return measures
    other = set(RESPONSE_TASKS) | set(PUBLICATION_TASKS) | set(OTHER_TASKS) | set(REPORT_TASKS)
    done, planned = [], []
    for task in state.tasks:
        status = state.task_status(task)
        if task.key in other or status == "not_needed":
            continue
        line = {**_task_line(state, task), "source": "task"}
        (done if status == "done" else planned).append(line)
    done.sort(key=lambda x: x["completed_on"] or "")
    planned.sort(key=lambda x: (x["due"] is None, x["due"] or ""))
    return {"done": done, "planned": planned}


def _other(state: State) -> dict[str, Any]:
    lines = [_task_line(state, t) for t in state.tasks_for(OTHER_TASKS)]
    filed = [{"kind": r.kind, "label": STAGE_LABELS.get(r.kind, r.kind),
              "filed_at": _iso(r.filed_at), "receipt_number": r.receipt_number or None}
             for r in state.filed]
    return {"measures": lines, "filed_reports": filed}


# --- what is missing, and the deadline it threatens --------------------------------------------

# (JSON path, label, needed already for the 速報): the 速報 carries what is known (GL 3-5-3-3),
# but without these it says nothing; the 確報 needs everything.
_REQUIRED: tuple[tuple[str, str, bool], ...] = (
    ("overview.occurred_at", "発生日時", False),
    ("overview.detected_at", "発覚日時", False),
    ("overview.knew_at", "漏えい等を知った日時", True),
    ("overview.event_text", "発生した事態（漏えい・滅失・毀損）", True),
    ("overview.summary", "事案の概要", True),
    ("overview.discovered_by", "発見者・発覚の経緯", False),
    ("overview.entrustment_text", "委託元・委託先の有無", False),
    ("items.items", "漏えい等した個人データの項目", True),
    ("items.medium", "媒体", False),
    ("items.subject_kind", "本人の種類（顧客・従業員等）", False),
    ("people.text", "本人の数", True),
    ("cause.category_label", "原因", False),
    ("cause.actor_label", "原因の主体", False),
    ("cause.details", "原因の詳細（経緯）", False),
    ("secondary_damage.status", "二次被害又はそのおそれの有無", False),
    ("response_to_individuals.status", "本人への対応の実施状況", False),
    ("publication.status", "公表の実施状況", False),
    ("prevention.planned_or_done", "再発防止のための措置", False),
)


def _value(report: dict, path: str):
    if path == "prevention.planned_or_done":
        return report["prevention"]["done"] or report["prevention"]["planned"] or None
    section, key = path.split(".")
    value = report[section][key]
    return value if value not in ("", []) else None


def deadlines(state: State) -> dict[str, dt.date | None]:
    snapshot = state.snapshot
    filed = {r.kind for r in state.incident.filed_reports.filter(kind__in=FILED_KINDS)}
    if state.as_of is not None:
        filed = {r.kind for r in state.filed}
    preliminary = (snapshot.preliminary_report_due if snapshot and "preliminary" not in filed
                   else None)
    final = snapshot.final_report_due if snapshot and "final" not in filed else None
    return {"preliminary": preliminary, "final": final,
            "final_filed": "final" in filed, "preliminary_filed": "preliminary" in filed}


def missing_items(report: dict, due: dict, relabel=lambda label: label) -> list[dict[str, Any]]:
    """What the report cannot fill yet, each with the deadline it threatens (the 速報's for what
    it already needs, else the 確報's; after the 確報, a 追完). ``due`` holds the regime's
    ``preliminary`` and ``final`` dates (None once filed) and whether the 確報 was filed; the
    My Number report uses the same items under its own names (``relabel``)."""
    out = []
    for path, label, for_preliminary in _REQUIRED:
        if _value(report, path) is not None:
            continue
        if for_preliminary and due["preliminary"]:
            deadline, name = due["preliminary"], "速報（目安）"
        elif due["final"]:
            deadline, name = due["final"], "確報"
        else:
            deadline, name = None, "追完（判明次第）" if due.get("final_filed") else None
        out.append({"field": path, "label": relabel(label),
                    "deadline": deadline.isoformat() if deadline else None,
                    "deadline_label": name,
                    "deadline_text": date_text(deadline)})
    return out


# --- the report -----------------------------------------------------------------------------------

def default_stage(incident) -> str:
    """速報 until one is filed, then 確報, then 追完."""
    filed = set(incident.filed_reports.filter(kind__in=FILED_KINDS)
                .values_list("kind", flat=True))
    if "final" in filed:
        return "supplement"
    if "preliminary" in filed:
        return "final"
    return "preliminary"


def _content(state: State) -> dict[str, Any]:
    report = {
        "overview": _overview(state),
        "items": _items(state),
        "people": _people(state),
        "cause": _cause(state),
        "secondary_damage": _secondary_damage(state),
        "response_to_individuals": _response(state),
        "publication": _publication(state),
        "prevention": _prevention(state),
        "other": _other(state),
    }
    report["missing"] = missing_items(report, deadlines(state))
    return report


def build(incident, stage: str | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """The PPC report for ``stage`` (速報・確報・追完) as the JSON export: exactly
    ``REPORT_KEYS``; ``overview.report`` holds the stage, reporter, deadlines and facts version,
    and for a follow-up ``other.changes_since_last_filed`` what changed since the last report
    filed."""
    stage = stage or default_stage(incident)
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    now = now or timezone.now()
    state = State(incident, None)
    report = _content(state)
    due = deadlines(state)
    # The report's own particulars (stage, reporter, dates): part of 1 概要 as the form asks.
    report["overview"]["report"] = {
        "kind": "ppc-report",
        "stage": stage,
        "stage_label": STAGE_LABELS[stage],
        "incident_id": incident.pk,
        "title": incident.title,
        "reporter": incident.organisation or None,
        "drafted_on": jst(now).date().isoformat(),
        "drafted_on_text": wareki(jst(now).date()),
        "facts_version": state.facts_version.number if state.facts_version else None,
        "preliminary_due": _iso(due["preliminary"]),
        "final_due": _iso(due["final"]),
    }
    report["other"]["changes_since_last_filed"] = _changes_since_last_filed(incident, report,
                                                                            stage)
    return report


def _changes_since_last_filed(incident, report: dict, stage: str) -> dict[str, Any] | None:
    """A follow-up (確報・追完) says what changed since the last report filed: the report as it
    stood then (the facts version saved before the filing, the timeline and tasks up to it),
    compared field by field with this one."""
    if stage == "preliminary":
        return None
    last = incident.filed_reports.filter(kind__in=FILED_KINDS).order_by("-filed_at", "-id").first()
    if last is None:
        return None
    from rouei.documents.kinds import get_kind
    from rouei.documents.templating import TemplateFailed

    kind = get_kind("ppc-report")
    before = _content(State(incident, last.filed_at))
    before["overview"]["report"] = report["overview"]["report"]
    before["other"]["changes_since_last_filed"] = None
    try:
        old, new = kind.layout(before).fields(), kind.layout(report).fields()
    except TemplateFailed:
        # The administrator's template is broken (its page says so): compare with the
        # built-in one, so that the mistake check and the JSON keep working meanwhile.
        old = kind.layout(before, overrides=False).fields()
        new = kind.layout(report, overrides=False).fields()
    changed = [{"field": key, "label": field.label, "before": old[key].value,
                "after": field.value}
               for key, field in new.items()
               if key in old and old[key].value != field.value
               and not key.startswith("overview.report.")]
    return {"since": {"kind": last.kind, "label": STAGE_LABELS.get(last.kind, last.kind),
                      "filed_at": _iso(last.filed_at),
                      "receipt_number": last.receipt_number or None},
            "fields": changed}
