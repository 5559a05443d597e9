"""The prevention plan's content, built from the incident's measures (rouei/prevention). The
returned mapping is the JSON export: ``plan`` (the document's particulars), ``counts``,
``groups`` (every group in the domain reference's order, each with its measures) and
``incomplete`` (open measures without an owner, a due date or a KPI). Progress notes are left out: they may name people."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from rouei.domain.jdates import format_date, wareki
from rouei.prevention.choices import GROUP_LABELS_JA, STATUS_LABELS_JA, MeasureGroup
from rouei.prevention.services import measures_of

PLAN_KEYS = ("plan", "counts", "groups", "incomplete")


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def _measure(measure, today: dt.date) -> dict[str, Any]:
    last = max(measure.progress.all(), key=lambda e: (e.on, e.pk), default=None)
    return {
        "id": measure.pk,
        "title": measure.title,
        "owner": _person(measure.owner),
        "due": measure.due_date.isoformat() if measure.due_date else None,
        "due_text": format_date(measure.due_date) if measure.due_date else None,
        "kpi": measure.kpi or None,
        "status": measure.status,
        "status_label": STATUS_LABELS_JA[measure.status],
        "done_on": measure.done_on.isoformat() if measure.done_on else None,
        "done_on_text": format_date(measure.done_on) if measure.done_on else None,
        "overdue": measure.is_overdue(today),
        "drop_reason": measure.drop_reason or None,
        "last_progress_on": last.on.isoformat() if last else None,
        "progress_entries": len(measure.progress.all()),
    }


def build(incident, stage: str | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    measures = list(measures_of(incident).prefetch_related("progress"))
    lines = {m.pk: _measure(m, today) for m in measures}
    groups = [{"group": value, "label": GROUP_LABELS_JA[value],
               "measures": [lines[m.pk] for m in measures if m.group == value]}
              for value in MeasureGroup.values]
    incomplete = []
    for m in measures:
        if not m.is_open:
            continue
        lacks = [label for label, value in (("担当者", m.owner_id), ("期日", m.due_date),
                                            ("KPI", m.kpi)) if not value]
        if lacks:
            incomplete.append({"measure_id": m.pk, "title": m.title, "lacks": lacks})
    statuses = [line["status"] for line in lines.values()]
    return {
        "plan": {"kind": "prevention-plan", "incident_id": incident.pk, "title": incident.title,
                 "organisation": incident.organisation or None,
                 "drafted_on": today.isoformat(), "drafted_on_text": wareki(today)},
        "counts": {"total": len(statuses),
                   **{s: statuses.count(s) for s in STATUS_LABELS_JA},
                   "overdue": sum(line["overdue"] for line in lines.values())},
        "groups": groups,
        "incomplete": incomplete,
    }
