"""Every write of the incident workspace: ``do_<verb>_<noun>(…, *, actor)``.

Each action checks the actor's role, runs in one transaction and records exactly one audit event
(``rouei.core.audit.record_event``) beside the timeline entries it implies. Views, the API, the
CLI and tasks call these; nothing else saves the models of this app.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rouei.core.access import Need, require_role
from rouei.core.audit import record_event, state
from rouei.domain.assessment import assess
from rouei.domain.facts import Facts, parse_facts
from rouei.incidents import duty_changes
from rouei.incidents.choices import MANUAL_TIMELINE_KINDS, Role, Status, TimelineKind
from rouei.incidents.models import (
    AssessmentSnapshot,
    FactsVersion,
    Incident,
    Membership,
    TimelineEvent,
)
from rouei.playbooks import scheduling as playbook_scheduling

INCIDENT_FIELDS = ("title", "summary", "organisation", "vendor_involved", "status")
TIMELINE_FIELDS = ("kind", "at", "text", "edited_reason")


class ActionError(Exception):
    """A refused action, with a code for tests and a message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class VersionConflict(ActionError):
    """Someone saved the facts after this form was loaded: reload, then save again."""

    def __init__(self, current: int, expected: int):
        super().__init__("version_conflict", _(
            "Someone else saved the facts first (version %(current)s; your form was loaded at "
            "version %(expected)s). Reload to see their changes; what you entered is kept "
            "below.") % {"current": current, "expected": expected})
        self.current = current
        self.expected = expected


@dataclass
class FactsUpdate:
    """What ``do_update_facts`` did."""

    version: FactsVersion | None  # None: nothing changed, nothing saved
    snapshot: AssessmentSnapshot | None
    changes: list[dict] = field(default_factory=list)
    duty_changes: list[duty_changes.DutyChange] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return self.version is not None


def _facts_changes(before: dict, after: dict) -> list[dict[str, Any]]:
    keys = [k for k in Facts.__dataclass_fields__ if before.get(k) != after.get(k)]
    return [{"key": k, "before": before.get(k), "after": after.get(k)} for k in keys]


def _snapshot(incident: Incident, version: FactsVersion, facts: Facts) -> AssessmentSnapshot:
    assessment = assess(facts, today=timezone.localdate())
    window = assessment.preliminary_report_window
    return AssessmentSnapshot.objects.create(
        incident=incident, facts_version=version,
        result=assessment.to_dict("ja"), result_en=assessment.to_dict("en"),
        report_required=assessment.report_required, notify_required=assessment.notify_required,
        preliminary_report_due=window[1] if window else None,
        final_report_due=assessment.final_report_due,
        triggers=list(assessment.triggers), rules_version=assessment.rules_version["id"])


def do_create_incident(*, title: str, summary: str = "", organisation: str = "",
                       vendor_involved: bool | None = None, facts: dict | None = None,
                       actor) -> Incident:
    """Open a case: the creator becomes its lead; facts version 1 and its assessment."""
    parsed = parse_facts(dict(facts or {}))
    if vendor_involved is not None and parsed.vendor_involved is None:
        parsed = parse_facts({**parsed.to_dict(), "vendor_involved": vendor_involved})
    with transaction.atomic():
        incident = Incident.objects.create(
            title=title, summary=summary, organisation=organisation,
            vendor_involved=parsed.vendor_involved, created_by=actor)
        Membership.objects.create(incident=incident, user=actor, role=Role.LEAD, added_by=actor)
        version = FactsVersion.objects.create(incident=incident, number=1,
                                              facts=parsed.to_dict(), author=actor)
        snapshot = _snapshot(incident, version, parsed)
        # The initial-response tasks of the playbook the facts point to (rouei.playbooks).
        tasks = playbook_scheduling.create_initial_tasks(incident, snapshot, actor=actor)
        record_event(actor=actor, action="incident.create", obj=incident,
                     incident_id=incident.pk, after=state(incident, INCIDENT_FIELDS),
                     details={"facts_version": 1, "tasks": len(tasks)})
    return incident


def do_update_facts(incident: Incident, facts_mapping: dict, *, expected_version: int,
                    actor) -> FactsUpdate:
    """Save a new facts version and its assessment, if anything changed.

    Refused with ``VersionConflict`` when ``expected_version`` is not the incident's version
    (someone saved in between). When a duty, a trigger or a deadline changed, each change is
    written to the timeline as a ``duty_change`` entry and returned for the page to announce.
    """
    facts = parse_facts(dict(facts_mapping))  # FactsError before anything is touched
    new = facts.to_dict()
    with transaction.atomic():
        require_role(actor, incident, Need.EDIT)
        current = Incident.objects.values_list("version", flat=True).get(pk=incident.pk)
        if current != expected_version:
            raise VersionConflict(current, expected_version)
        previous = incident.latest_facts()
        changes = _facts_changes(previous.facts if previous else {}, new)
        if not changes:
            return FactsUpdate(None, None)
        # The compare-and-swap: a save that committed since the read above makes this update
        # match no row (and, on PostgreSQL, waits for it to commit first).
        bumped = Incident.objects.filter(pk=incident.pk, version=expected_version).update(
            version=F("version") + 1, vendor_involved=facts.vendor_involved,
            updated_at=timezone.now())
        if not bumped:
            raise VersionConflict(expected_version + 1, expected_version)
        incident.refresh_from_db()
        before_snapshot = incident.latest_snapshot()
        version = FactsVersion.objects.create(
            incident=incident, number=(previous.number + 1) if previous else 1, facts=new,
            author=actor, changes=changes)
        snapshot = _snapshot(incident, version, facts)
        found = duty_changes.compare(
            before_snapshot.result if before_snapshot else None, snapshot.result,
            before_snapshot.result_en if before_snapshot else None, snapshot.result_en)
        # Task due dates follow the new deadlines (rouei.playbooks); said in the same entry.
        moved = playbook_scheduling.reschedule_tasks(incident, snapshot)
        notes = [c.to_dict() for c in found] + [m.to_dict() for m in moved]
        if notes:
            TimelineEvent.objects.create(
                incident=incident, kind=TimelineKind.DUTY_CHANGE, at=timezone.now(),
                text="\n".join(n["ja"] for n in notes), author=actor,
                data={"messages": notes, "facts_version": version.number})
        record_event(actor=actor, action="facts.update", obj=version, incident_id=incident.pk,
                     before=previous.facts if previous else None, after=new,
                     details={"facts_version": version.number,
                              "changed": [c["key"] for c in changes],
                              "duty_changes": [c.code for c in found],
                              "tasks_moved": [m.task_id for m in moved]})
    return FactsUpdate(version, snapshot, changes, found)


def do_add_member(incident: Incident, user, role: str, *, actor) -> Membership:
    """Give ``user`` a role on the case (lead only)."""
    role = Role(role)
    with transaction.atomic():
        require_role(actor, incident, Need.MANAGE)
        if not user.is_active:
            raise ActionError("inactive_user", _("This user account is disabled."))
        try:
            with transaction.atomic():
                membership = Membership.objects.create(incident=incident, user=user, role=role,
                                                       added_by=actor)
        except IntegrityError:
            raise ActionError("already_member",
                              _("%(user)s is already a member of this incident.")
                              % {"user": user.get_username()}) from None
        record_event(actor=actor, action="member.add", obj=membership, incident_id=incident.pk,
                     after=state(membership, ("incident", "user", "role")),
                     details={"user_id": user.pk, "role": str(role)})
    return membership


def do_change_status(incident: Incident, status: str, *, actor, note: str = "") -> Incident:
    """Move the case along its lifecycle; closing (完了) or reopening is for the lead only."""
    status = Status(status)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        old = Status(incident.status)
        closing = Status.CLOSED in (status, old)
        require_role(actor, incident, Need.CLOSE if closing else Need.EDIT)
        if status == old:
            raise ActionError("same_status", _("The incident already has this status."))
        before = state(incident, INCIDENT_FIELDS)
        incident.status = status
        incident.save(update_fields=["status", "updated_at"])
        messages = {}
        for lang in ("ja", "en"):
            with translation.override(lang):
                messages[lang] = _("Status changed from “%(old)s” to “%(new)s”.") % {
                    "old": old.label, "new": status.label}
        if note.strip():
            messages = {"ja": f"{messages['ja']}{note.strip()}",
                        "en": f"{messages['en']} {note.strip()}"}
        TimelineEvent.objects.create(
            incident=incident, kind=TimelineKind.STATUS_CHANGE, at=timezone.now(),
            text=messages["ja"], author=actor,
            data={"from": old.value, "to": status.value, "messages": [messages]})
        record_event(actor=actor, action="status.change", obj=incident, incident_id=incident.pk,
                     before=before, after=state(incident, INCIDENT_FIELDS),
                     details={"from": old.value, "to": status.value})
    return incident


def _check_timeline(kind: str, at: dt.datetime, text: str) -> TimelineKind:
    kind = TimelineKind(kind)
    if kind not in MANUAL_TIMELINE_KINDS:
        raise ActionError("system_kind", _("This kind of entry is written by rouei itself."))
    if timezone.is_naive(at):
        raise ActionError("naive_datetime", "timeline times must be timezone-aware")
    if not text.strip():
        raise ActionError("empty_text", _("Describe what happened."))
    return kind


def do_add_timeline_event(incident: Incident, *, kind: str, at: dt.datetime, text: str,
                          actor) -> TimelineEvent:
    kind = _check_timeline(kind, at, text)
    with transaction.atomic():
        require_role(actor, incident, Need.EDIT)
        event = TimelineEvent.objects.create(incident=incident, kind=kind, at=at,
                                             text=text.strip(), author=actor)
        record_event(actor=actor, action="timeline.add", obj=event, incident_id=incident.pk,
                     after=state(event, TIMELINE_FIELDS),
                     details={"event_id": event.pk, "kind": kind.value})
    return event


def do_edit_timeline_event(event: TimelineEvent, *, kind: str, at: dt.datetime, text: str,
                           reason: str, actor) -> TimelineEvent:
    """Correct an entry; a reason is required and the earlier wording is kept in revisions."""
    kind = _check_timeline(kind, at, text)
    if not reason.strip():
        raise ActionError("reason_required", _("Give the reason for the change."))
    with transaction.atomic():
        event = TimelineEvent.objects.select_for_update().get(pk=event.pk)
        require_role(actor, event.incident, Need.EDIT)
        if event.kind not in MANUAL_TIMELINE_KINDS:
            raise ActionError("system_kind", _("This kind of entry is written by rouei itself."))
        before = state(event, TIMELINE_FIELDS)
        event.revisions = [*event.revisions, {
            "kind": event.kind, "at": event.at.isoformat(), "text": event.text,
            "replaced_at": timezone.now().isoformat(), "replaced_by": actor.pk,
            "reason": reason.strip()}]
        event.kind, event.at, event.text = kind, at, text.strip()
        event.edited_reason, event.edited_by = reason.strip(), actor
        event.save()
        record_event(actor=actor, action="timeline.edit", obj=event,
                     incident_id=event.incident_id, before=before,
                     after=state(event, TIMELINE_FIELDS),
                     details={"event_id": event.pk, "kind": kind.value})
    return event

