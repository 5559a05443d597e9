"""Reading the workspace for pages and the API: the next deadline, a snapshot as a page shows it.

Read-only helpers; writes are in actions.py, access checks in ``rouei.core.access``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rouei.assessments.choices import FACT_LABELS
from rouei.assessments.services import Deadline, view_assessment
from rouei.core import incident_apps
from rouei.core.access import Role
from rouei.incidents.choices import STATUS_ORDER, Status, TimelineKind
from rouei.incidents.models import AssessmentSnapshot, Incident

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


def _before(status: str, step: Status) -> bool:
    return STATUS_ORDER.index(status) < STATUS_ORDER.index(step)


def next_deadline(status: str, snapshot: AssessmentSnapshot | None, lang: str,
                  today: dt.date | None = None) -> NextDeadline | None:
    """The report still to make: 速報 (the end of the PPC's 3–5 day guide) until it is sent,
    then 確報; none when the case is not reportable or the deadline is not known yet."""
    if snapshot is None or snapshot.report_required is False or status == Status.CLOSED:
        return None
    today = today or timezone.localdate()
    if _before(status, Status.PRELIMINARY_REPORTED) and snapshot.preliminary_report_due:
        return NextDeadline(str(_("Preliminary report (速報)")), Deadline.of(
            snapshot.preliminary_report_due.isoformat(), lang, today))
    if _before(status, Status.FINAL_REPORTED) and snapshot.final_report_due:
        return NextDeadline(str(_("Final report (確報)")), Deadline.of(
            snapshot.final_report_due.isoformat(), lang, today))
    return None


def with_latest_snapshots(incidents) -> list[Incident]:
    """The incidents with ``latest_snapshot_obj`` set, in two queries."""
    latest = (AssessmentSnapshot.objects.filter(incident=OuterRef("pk"))
              .order_by("-id").values("id")[:1])
    rows = list(incidents.annotate(latest_snapshot_id=Subquery(latest)))
    snapshots = AssessmentSnapshot.objects.in_bulk(
        [r.latest_snapshot_id for r in rows if r.latest_snapshot_id])
    for row in rows:
        row.latest_snapshot_obj = snapshots.get(row.latest_snapshot_id)
    return rows


def snapshot_view(snapshot: AssessmentSnapshot | None, lang: str,
                  today: dt.date | None = None) -> dict | None:
    """A stored assessment in the shape of the /assess/ page's result templates."""
    if snapshot is None:
        return None
    return view_assessment(snapshot.assessment, lang, today or timezone.localdate())


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
        return label, f"{_label(Status, details.get('from'))} → {_label(Status, details.get('to'))}"
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
