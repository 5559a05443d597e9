"""The documents cards of the incident page: the mistake check (slot ``top``), and (slot
``body``) the PPC report to make next, how many of its fields are still missing, the nearest
deadline they threaten and the public notice's last published version.

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
    timeline, filed reports, tasks and prevention measures (also the newest ``updated_at``),
    the public notice's versions (item 7), and the day (JST)."""
    parts: list = [incident.updated_at, incident.version, timezone.localdate()]
    for related in (incident.facts_versions, incident.snapshots, incident.notice_versions):
        parts.append(tuple(related.aggregate(n=Count("id"), last=Max("id")).values()))
    for related in (incident.timeline, incident.filed_reports, incident.tasks,
                    incident.measures):
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
    last_notice = incident.notice_versions.order_by("-number").first()
    return {"stage": stage, "stage_label": STAGE_LABELS[stage], "missing": missing,
            "first_deadline": first,
            "changes": {"fields": [c["field"] for c in changes["fields"]]} if changes else None,
            "last_notice": ({key: last_notice.content["notice"][key]
                             for key in ("version_label", "date_text")} if last_notice else None),
            "last_notice_at": last_notice.published_at if last_notice else None}


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


def checks(request, incident) -> dict | None:
    """The mistake-check card (slot ``top``): the warnings, most severe first, each with where
    to fix it; none: no card."""
    from rouei.core.access import Need, role_allows
    from rouei.documents.choices import SEVERITY_LABELS
    from rouei.documents.services import check
    from rouei.ui.lang import current_lang

    findings = check(incident)
    if not findings:
        return None
    english = current_lang() != "ja"
    for finding in findings:
        finding["text"] = finding["message_en"] if english else finding["message"]
        finding["severity_label"] = SEVERITY_LABELS[finding["severity"]]
    return {"findings": findings,
            "can_answer": role_allows(getattr(incident, "member_role", ""), Need.EDIT)}
