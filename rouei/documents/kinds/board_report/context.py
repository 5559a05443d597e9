"""The board report's content, from the incident's records: the status and its assessment,
the report deadlines (filed or coming: only a filing record closes one) and the tasks' due
dates, the people affected (the facts, and the registry's counts when it holds anyone), the
cost estimate (rouei/estimates) beside the money spent as recorded there, per category and in
total — listed as missing while nothing is recorded, never invented — and the open risks: tasks overdue, report items missing,
measures overdue. The returned mapping is the JSON export (``BOARD_KEYS``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone, translation

from rouei.documents.kinds import get_kind
from rouei.domain.jdates import format_date, wareki
from rouei.estimates.services import incident_estimate, spend_summary
from rouei.people.services import registry_counts
from rouei.playbooks.choices import OPEN_STATUSES
from rouei.prevention.services import plan

BOARD_KEYS = ("report", "status", "deadlines", "people", "cost", "risks", "prevention",
              "missing")
REPORT_TASKS = ("preliminary_report", "final_report")
REPORT_LABELS = {"preliminary": "速報", "final": "確報", "supplement": "追完",
                 "my_number": "番号法に基づく報告", "processor_notice": "委託元への通知"}


def _day(value: dt.date | None) -> dict[str, Any]:
    return {"date": value.isoformat() if value else None,
            "text": format_date(value) if value else None}


def _status(incident, snapshot) -> dict[str, Any]:
    with translation.override("ja"):
        label = str(incident.get_status_display())
        triggers = []
        if snapshot is not None:
            findings = {f.id: f for f in snapshot.assessment.appi.findings}
            triggers = [findings[t].label("ja") if t in findings else t
                        for t in snapshot.assessment.appi.triggers]
    facts = incident.latest_facts()
    return {"code": incident.status, "label": label, "summary": incident.summary or None,
            "facts_version": facts.number if facts else None,
            "report_required": snapshot.report_required if snapshot else None,
            "notify_required": snapshot.notify_required if snapshot else None,
            "triggers": triggers}


def _deadlines(incident, snapshot, today: dt.date) -> dict[str, list[dict]]:
    met, coming, missed = [], [], []
    filed = list(incident.filed_reports.order_by("filed_at", "id"))
    due = {"preliminary": snapshot.preliminary_report_due if snapshot else None,
           "final": snapshot.final_report_due if snapshot else None}
    for report in filed:
        on = timezone.localtime(report.filed_at).date()
        deadline = due.get(report.kind)
        line = {"what": f"{REPORT_LABELS.get(report.kind, report.kind)}の提出",
                "deadline": _day(deadline), "done_on": _day(on),
                "receipt_number": report.receipt_number or None,
                "on_time": deadline is None or on <= deadline}
        (met if line["on_time"] else missed).append(line)
    kinds = {r.kind for r in filed}
    for kind in ("preliminary", "final"):
        if kind in kinds or due[kind] is None or (snapshot and snapshot.report_required is False):
            continue
        line = {"what": f"{REPORT_LABELS[kind]}の提出", "deadline": _day(due[kind]),
                "done_on": _day(None), "receipt_number": None, "on_time": None}
        (coming if due[kind] >= today else missed).append(line)
    # The report tasks' deadlines are the filings' own (above): not twice.
    tasks = incident.tasks.exclude(due_date=None).exclude(key__in=REPORT_TASKS)
    for task in tasks.order_by("due_date", "id"):
        if task.status == "done" and task.completed_at:
            on = timezone.localtime(task.completed_at).date()
            if on <= task.due_date:
                met.append({"what": task.title, "deadline": _day(task.due_date),
                            "done_on": _day(on), "receipt_number": None, "on_time": True})
        elif task.status in OPEN_STATUSES and task.due_date >= today:
            coming.append({"what": task.title, "deadline": _day(task.due_date),
                           "done_on": _day(None), "receipt_number": None, "on_time": None})
    coming.sort(key=lambda x: x["deadline"]["date"])
    return {"met": met, "coming": coming, "missed": missed}


def _people(incident) -> dict[str, Any]:
    version = incident.latest_facts()
    facts = version.as_facts() if version else None
    counts = registry_counts(incident)
    registry = None
    if counts["total"]:
        with translation.override("ja"):  # the document is Japanese whoever renders it
            notified = {str(label): n for label, n in counts["by_status"]}
        registry = {"total": counts["total"], "confirmed": counts["confirmed"],
                    "possible": counts["possible"], "by_status": notified}
    return {"confirmed": facts.people_confirmed if facts else None,
            "estimated": facts.people_estimated if facts else None,
            "is_upper_bound": facts.people_is_upper_bound if facts else None,
            "registry": registry}


def _cost(incident) -> dict[str, Any]:
    with translation.override("ja"):
        result = incident_estimate(incident, "ja")
    estimate = (result or {}).get("estimate") or {}
    response = estimate.get("response_costs") or {}
    # The money spent as recorded (rouei.estimates Spend), per category beside its estimate.
    spend = spend_summary(incident, estimate or None, "ja")
    recorded = spend["entries"] > 0
    return {
        "estimate": {"damages_total": estimate.get("total"),
                     "damages_per_person": estimate.get("per_person"),
                     "response_costs": response.get("subtotal"),
                     "facts_version": (result or {}).get("facts_version"),
                     "basis": "JNSA JOモデルによる損害賠償額の試算と、対応費用の単価×人数"},
        # The total spent; None while nothing is recorded (never a figure made up).
        "spend": spend["total"]["spent"] if recorded else None,
        "spend_recorded": recorded,
        "spend_entries": spend["entries"],
        # [{key, label, estimate, spent, difference}] and the totals (difference = spent −
        # estimate; None where there is no estimate).
        "by_category": spend["lines"] if recorded else [],
        "total": spend["total"] if recorded else None,
    }


def _risks(incident, today: dt.date, now: dt.datetime) -> dict[str, list[dict]]:
    overdue_tasks = [{"title": t.title, "due": _day(t.due_date),
                      "days_overdue": (today - t.due_date).days}
                     for t in incident.tasks.filter(status__in=OPEN_STATUSES,
                                                    due_date__lt=today).order_by("due_date")]
    ppc = get_kind("ppc-report").build(incident, None, now)
    missing_items = [{"label": m["label"], "deadline_label": m["deadline_label"],
                      "deadline": _day(dt.date.fromisoformat(m["deadline"])
                                       if m["deadline"] else None)}
                     for m in ppc["missing"]]
    measures = plan(incident, today)
    overdue_measures = [{"title": m.title, "due": _day(m.due_date),
                         "days_overdue": (today - m.due_date).days}
                        for g in measures["groups"] for m in g["measures"] if m.overdue]
    return {"overdue_tasks": overdue_tasks, "missing_report_items": missing_items,
            "report_stage": ppc["overview"]["report"]["stage_label"],
            "overdue_measures": overdue_measures}


def build(incident, stage: str | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    snapshot = incident.latest_snapshot()
    measures = plan(incident, today)
    cost = _cost(incident)
    return {
        "report": {"kind": "board-report", "incident_id": incident.pk, "title": incident.title,
                   "organisation": incident.organisation or None,
                   "drafted_on": today.isoformat(), "drafted_on_text": wareki(today)},
        "status": _status(incident, snapshot),
        "deadlines": _deadlines(incident, snapshot, today),
        "people": _people(incident),
        "cost": cost,
        "risks": _risks(incident, today, now),
        "prevention": {"total": measures["total"], "done": measures["done"],
                       "open": measures["open"], "overdue": measures["overdue"]},
        # What the board should see but rouei cannot fill (the documents page lists it).
        "missing": [] if cost["spend_recorded"] else [
            {"field": "cost.spend", "label": "実際の支出（支出の記録がありません）",
             "deadline": None, "deadline_label": None, "deadline_text": ""}],
    }
