"""Reading the workspace for pages and the API: the next deadline, a snapshot as a page shows it.

Read-only helpers; writes are in actions.py, access checks in ``rouei.core.access``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rouei.assessments.choices import FACT_LABELS
from rouei.assessments.services import Deadline, view_assessment
from rouei.core import incident_apps
from rouei.core.access import Role
from rouei.domain import duties
from rouei.domain.duties import (
    FINAL,
    MY_NUMBER,
    OPEN_FINAL,
    OPEN_MY_NUMBER,
    OPEN_NOTICE,
    OPEN_PRELIMINARY,
    OPEN_TASKS,
    PRELIMINARY,
)
from rouei.incidents.choices import ReportChannel, ReportKind, Status, TimelineKind
from rouei.incidents.models import AssessmentSnapshot, FiledReport, Incident

# The particulars ``do_update_incident`` edits, as the audit page names them.
EDITABLE_LABELS = {
    "title": _("Title"),
    "summary": _("Summary"),
    "organisation": _("Responsible organisation"),
    "vendor_involved": _("Vendor (委託先) involved"),
}


@dataclass(frozen=True)
class NextDeadline:
    name: str
    deadline: Deadline
    kind: str  # the report's kind: preliminary · final


def next_deadline(snapshot: AssessmentSnapshot | None, filed: Collection[str], lang: str,
                  today: dt.date | None = None) -> NextDeadline | None:
    """The report still to make: 速報 (the end of the PPC's 3–5 day guide) until one is recorded
    as filed, then 確報 until one is; none when the case is not reportable or the deadline is
    not known yet. Only a filing record closes a deadline: never the status (a case closed with
    a report unfiled keeps it here, issue 11)."""
    if snapshot is None or snapshot.report_required is False:
        return None
    today = today or timezone.localdate()
    if PRELIMINARY not in filed and snapshot.preliminary_report_due:
        return NextDeadline(str(_("Preliminary report (速報)")), Deadline.of(
            snapshot.preliminary_report_due.isoformat(), lang, today), PRELIMINARY)
    if FINAL not in filed and snapshot.final_report_due:
        return NextDeadline(str(_("Final report (確報)")), Deadline.of(
            snapshot.final_report_due.isoformat(), lang, today), FINAL)
    return None


@dataclass(frozen=True)
class OpenDuty:
    code: str
    label: str

    def as_dict(self) -> dict:
        return {"code": self.code, "label": self.label}


def duty_label(code: str, open_tasks: int = 0) -> str:
    labels = {
        OPEN_PRELIMINARY: _("Preliminary report (速報) not recorded as filed"),
        OPEN_FINAL: _("Final report (確報) not recorded as filed"),
        OPEN_MY_NUMBER: _("Report under the My Number Act not recorded as filed"),
        OPEN_NOTICE: _("Notice to individuals (本人通知) not done"),
    }
    if code == OPEN_TASKS and not open_tasks:  # the audit page: the count was not kept
        return str(_("Open tasks"))
    if code == OPEN_TASKS:
        return ngettext("%(count)d open task", "%(count)d open tasks", open_tasks) % {
            "count": open_tasks}
    return str(labels.get(code, code))


def open_duties_of(incident: Incident, snapshot: AssessmentSnapshot | None = None,
                   ) -> list[OpenDuty]:
    """The case's open duties (``rouei.domain.duties``) from its latest assessment, its filed
    reports and what the other apps know (tasks, the notice), in the language in force."""
    snapshot = snapshot or incident.latest_snapshot()
    inputs = incident_apps.duty_inputs(incident)
    mn = snapshot.assessment.my_number_act if snapshot else None
    codes = duties.open_duties(
        report_required=snapshot.report_required if snapshot else None,
        notify_required=snapshot.notify_required if snapshot else None,
        my_number_report_required=mn.report_required if mn else False,
        filed=incident.filed_kinds(), **inputs)
    return [OpenDuty(code, duty_label(code, inputs.get("open_tasks", 0))) for code in codes]


def with_latest_snapshots(incidents) -> list[Incident]:
    """The incidents with ``latest_snapshot_obj`` and ``filed`` (the kinds of report recorded
    as filed) set, in three queries."""
    latest = (AssessmentSnapshot.objects.filter(incident=OuterRef("pk"))
              .order_by("-id").values("id")[:1])
    rows = list(incidents.annotate(latest_snapshot_id=Subquery(latest)))
    snapshots = AssessmentSnapshot.objects.in_bulk(
        [r.latest_snapshot_id for r in rows if r.latest_snapshot_id])
    filed: dict[int, set[str]] = {}
    for incident_id, kind in FiledReport.objects.filter(
            incident__in=[r.pk for r in rows]).values_list("incident_id", "kind"):
        filed.setdefault(incident_id, set()).add(kind)
    for row in rows:
        row.latest_snapshot_obj = snapshots.get(row.latest_snapshot_id)
        row.filed = frozenset(filed.get(row.pk, ()))
    return rows


def snapshot_view(snapshot: AssessmentSnapshot | None, lang: str,
                  today: dt.date | None = None, reports=()) -> dict | None:
    """A stored assessment in the shape of the /assess/ page's result templates; a deadline
    whose report is among ``reports`` (filed, oldest first) shows the filing instead of the days
    left (``preliminary_filed`` / ``final_filed``: the words 「提出済（…）」)."""
    if snapshot is None:
        return None
    view = view_assessment(snapshot.assessment, lang, today or timezone.localdate())
    first = {}
    for report in reports:
        first.setdefault(report.kind, report)
    appi = {"preliminary_filed": first.get(PRELIMINARY), "final_filed": first.get(FINAL)}
    view["assessment"].update({k: filed_text(r) if r else None for k, r in appi.items()})
    if view["my_number_act"]:
        mn = first.get(MY_NUMBER)
        view["my_number_act"].update({"preliminary_filed": filed_text(mn) if mn else None,
                                      "final_filed": filed_text(mn) if mn else None})
    return view


def filed_text(report: FiledReport) -> str:
    """「提出済（2026-12-05 14:30・受付番号 A-123）」: how a page shows a filed report."""
    when = timezone.localtime(report.filed_at).strftime("%Y-%m-%d %H:%M")
    if report.receipt_number:
        return str(_("Filed (%(when)s, receipt number %(number)s)")
                   % {"when": when, "number": report.receipt_number})
    return str(_("Filed (%(when)s)") % {"when": when})


def describe_audit_event(event, lang: str) -> tuple[str, str]:
    """(what was done, the particulars) for the audit page, from the event's codes and ids."""
    details = event.details or {}
    label = str(incident_apps.audit_actions().get(event.action, event.action))
    if event.action in ("incident.create", "facts.update"):
        text = str(_("Facts version %(number)s") % {"number": details.get("facts_version")})
        changed = details.get("changed")
        if changed:
            names = [str(FACT_LABELS[k][0]) if k in FACT_LABELS else k for k in changed]
            text += ": " + ("、" if lang == "ja" else ", ").join(names)
        if details.get("duty_changes"):
            text += " — " + str(_("duty or deadline changed"))
        return label, text
    if event.action == "status.change":
        text = f"{_label(Status, details.get('from'))} → {_label(Status, details.get('to'))}"
        if details.get("open_duties"):
            text += " — " + str(_("Closed with open duties: %(duties)s") % {
                "duties": ("、" if lang == "ja" else ", ").join(
                    duty_label(c) for c in details["open_duties"])})
        return label, text
    if event.action == "report.file":
        return label, (f"{_label(ReportKind, details.get('kind'))} "
                       f"({_label(ReportChannel, details.get('channel'))})")
    if event.action in ("member.add", "member.remove", "member.role_change"):
        user = get_user_model().objects.filter(pk=details.get("user_id")).first()
        name = user.get_username() if user else details.get("user_id")
        if event.action == "member.role_change":
            return label, (f"{name}: {_label(Role, details.get('from'))} → "
                           f"{_label(Role, details.get('to'))}")
        return label, f"{name}: {_label(Role, details.get('role'))}"
    if event.action == "incident.update":
        names = [str(EDITABLE_LABELS.get(k, k)) for k in details.get("changed", [])]
        text = ("、" if lang == "ja" else ", ").join(names)
        if details.get("facts_version"):
            text += " — " + str(_("Facts version %(number)s")
                                % {"number": details["facts_version"]})
        return label, text
    if event.action in ("timeline.add", "timeline.edit"):
        return label, f"{_label(TimelineKind, details.get('kind'))} (#{details.get('event_id')})"
    return label, ""


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)
