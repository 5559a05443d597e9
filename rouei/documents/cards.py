"""The documents card of the incident page (slot ``body``): the PPC report to make next, how
many of its fields are still missing and the nearest deadline they threaten.

Building the report (twice for a follow-up: as it is and as it stood at the last filing) was a
fifth of the incident page's time, on every view. The card keeps what it shows — stage, the
missing fields' labels and deadlines, the names of the changed fields; no values, so nothing
personal — per incident in this process's memory, and builds again when anything the report
reads has changed (``_fingerprint``) or the day has turned."""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.db.models import Count, Max
from django.utils import timezone

from rouei.documents.choices import STAGE_LABELS
from rouei.documents.kinds import get_kind

_REMEMBERED = 256  # incidents
_memory: OrderedDict[int, tuple[tuple, dict]] = OrderedDict()
_lock = threading.Lock()


def _fingerprint(incident) -> tuple:
    """Changes whenever a row the PPC report is built from is added, changed or removed: the
    incident, its facts versions and assessments (append-only: count and newest id), its
    timeline, filed reports and tasks (also the newest ``updated_at``), and the day (JST)."""
    parts: list = [incident.updated_at, incident.version, timezone.localdate()]
    for related in (incident.facts_versions, incident.snapshots):
        parts.append(tuple(related.aggregate(n=Count("id"), last=Max("id")).values()))
    for related in (incident.timeline, incident.filed_reports, incident.tasks):
        parts.append(tuple(related.aggregate(n=Count("id"), last=Max("id"),
                                             changed=Max("updated_at")).values()))
    return tuple(parts)


def _summary(incident) -> dict:
    kind = get_kind("ppc-report")
    stage = kind.default_stage(incident)
    report = kind.build(incident, stage)
    missing = [{"label": m["label"], "deadline": m["deadline"],
                "deadline_label": m["deadline_label"], "deadline_text": m["deadline_text"]}
               for m in report["missing"]]
    deadlines = sorted({m["deadline"] for m in missing if m["deadline"]})
    first = next((m for m in missing if m["deadline"] == deadlines[0]), None) \
        if deadlines else None
    changes = report["other"]["changes_since_last_filed"]
    return {"stage": stage, "stage_label": STAGE_LABELS[stage], "missing": missing,
            "first_deadline": first,
            "changes": {"fields": [c["field"] for c in changes["fields"]]} if changes else None}


def documents(request, incident) -> dict:
    key = _fingerprint(incident)
    with _lock:
        known = _memory.get(incident.pk)
        if known is not None and known[0] == key:
            _memory.move_to_end(incident.pk)
            return known[1]
    summary = _summary(incident)
    with _lock:
        _memory[incident.pk] = (key, summary)
        _memory.move_to_end(incident.pk)
        while len(_memory) > _REMEMBERED:
            _memory.popitem(last=False)
    return summary
