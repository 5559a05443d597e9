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

from rouei.core import incident_apps
from rouei.core.access import Need, Role, require_role
from rouei.core.audit import digest, record_event, state
from rouei.core.crypto import refuse_undecryptable
from rouei.core.dates import FUTURE_DATE, future_date_message, in_future
from rouei.core.errors import ActionError, Conflict
from rouei.domain.assessment import assess
from rouei.domain.duties import unacknowledged
from rouei.domain.facts import Facts, parse_facts
from rouei.incidents import duty_changes, knew_date
from rouei.incidents.choices import (
    MANUAL_TIMELINE_KINDS,
    ReportChannel,
    ReportKind,
    Status,
    TimelineKind,
)
from rouei.incidents.models import (
    AssessmentSnapshot,
    FactsVersion,
    FiledReport,
    Incident,
    Membership,
    TimelineEvent,
)
from rouei.incidents.services import duty_label, open_duties_of

INCIDENT_FIELDS = ("title", "summary", "organisation", "vendor_involved", "status")
TIMELINE_FIELDS = ("kind", "at", "text", "edited_reason")
FILED_REPORT_FIELDS = ("kind", "filed_at", "channel", "receipt_number", "filed_by", "note")


class VersionConflict(Conflict):
    """Someone saved the facts after this form was loaded: reload, then save again."""

    def __init__(self, current: int, expected: int):
        super().__init__("version_conflict", _(
            "Someone else saved the facts first (version %(current)s; your form was loaded at "
            "version %(expected)s). Reload to see their changes; what you entered is kept "
            "below.") % {"current": current, "expected": expected},
            current_version=current, expected_version=expected)
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
        record=assessment.to_record(),
        report_required=assessment.report_required, notify_required=assessment.notify_required,
        preliminary_report_due=window[1] if window else None,
        final_report_due=assessment.final_report_due,
        triggers=list(assessment.triggers), rules_version=assessment.rules_version["id"])


def do_create_incident(*, title: str, summary: str = "", organisation: str = "",
                       vendor_involved: bool | None = None, facts: dict | None = None,
                       actor) -> Incident:
    """Open a case: the creator becomes its lead; facts version 1 and its assessment."""
    parsed = parse_facts(dict(facts or {}), now=timezone.now())
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
        # The other apps set up their part (the playbook's initial-response tasks).
        reaction = incident_apps.announce("incident_created", incident=incident,
                                          snapshot=snapshot, actor=actor)
        record_event(actor=actor, action="incident.create", obj=incident,
                     incident_id=incident.pk, after=state(incident, INCIDENT_FIELDS),
                     details={"facts_version": 1, **reaction.audit_details})
    return incident


def add_timeline_entry(incident: Incident, *, kind: str, at: dt.datetime, text: str,
                       author, data: dict | None = None) -> TimelineEvent:
    """Write one timeline entry inside the transaction of an audited action, whose event covers
    it (this records none of its own): the one place that creates entries. ``data`` may carry
    ``{"messages": [{"ja": …, "en": …}]}`` for entries written by rouei in both languages."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("add_timeline_entry() runs inside the transaction of an action")
    return TimelineEvent.objects.create(incident=incident, kind=TimelineKind(kind), at=at,
                                        text=text, author=author, data=data or {})


@dataclass
class _SavedFacts:
    update: FactsUpdate
    previous: FactsVersion | None
    reaction: incident_apps.Reaction


def _save_facts(incident: Incident, facts: Facts, *, expected_version: int,
                actor) -> _SavedFacts:
    """The facts save shared by ``do_update_facts`` and ``do_update_incident`` (vendor
    involvement is a fact): compare-and-swap on ``version``, the new version and its assessment,
    the duty changes and task moves in one timeline entry. Records no audit event: the caller
    does, once."""
    new = facts.to_dict()
    current = Incident.objects.values_list("version", flat=True).get(pk=incident.pk)
    if current != expected_version:
        raise VersionConflict(current, expected_version)
    previous = incident.latest_facts()
    changes = _facts_changes(previous.facts if previous else {}, new)
    if not changes:
        return _SavedFacts(FactsUpdate(None, None), previous, incident_apps.Reaction())
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
        before_snapshot.assessment if before_snapshot else None, snapshot.assessment)
    # The other apps follow the new facts and duties (task due dates move); what they did is
    # said in the same entry and audited in the same event.
    reaction = incident_apps.announce("facts_changed", incident=incident, snapshot=snapshot,
                                      previous=before_snapshot, actor=actor)
    notes = [c.to_dict() for c in found] + reaction.timeline_lines
    if notes:
        add_timeline_entry(incident, kind=TimelineKind.DUTY_CHANGE, at=timezone.now(),
                           text="\n".join(n["ja"] for n in notes), author=actor,
                           data={"messages": notes, "facts_version": version.number})
    return _SavedFacts(FactsUpdate(version, snapshot, changes, found), previous, reaction)


def _facts_details(saved: _SavedFacts) -> dict:
    update = saved.update
    return {"facts_version": update.version.number,
            "changed": [c["key"] for c in update.changes],
            "duty_changes": [c.code for c in update.duty_changes],
            **saved.reaction.audit_details}


def do_update_facts(incident: Incident, facts_mapping: dict, *, expected_version: int,
                    actor) -> FactsUpdate:
    """Save a new facts version and its assessment, if anything changed.

    Refused with ``VersionConflict`` when ``expected_version`` is not the incident's version
    (someone saved in between). When a duty, a trigger or a deadline changed, each change is
    written to the timeline as a ``duty_change`` entry and returned for the page to announce.
    """
    # FactsError before anything is touched (a date in the future too)
    facts = parse_facts(dict(facts_mapping), now=timezone.now())
    with transaction.atomic():
        require_role(actor, incident, Need.EDIT)
        saved = _save_facts(incident, facts, expected_version=expected_version, actor=actor)
        if not saved.update.saved:
            return saved.update
        record_event(actor=actor, action="facts.update", obj=saved.update.version,
                     incident_id=incident.pk,
                     before=saved.previous.facts if saved.previous else None,
                     after=saved.update.version.facts, details=_facts_details(saved))
    return saved.update


# --- the incident's particulars ---------------------------------------------------------------

EDITABLE_FIELDS = ("title", "summary", "organisation", "vendor_involved")
TITLE_MAX, ORGANISATION_MAX = 200, 200


def incident_etag(incident: Incident) -> str:
    """A short digest of the particulars a form or an API client was shown; sent back with an
    edit, a different value means someone changed them since (optimistic concurrency, like an
    HTTP ETag). Status and facts changes other than vendor involvement leave it alone."""
    return digest({name: getattr(incident, name) for name in EDITABLE_FIELDS})[:32]


class IncidentEditConflict(Conflict):
    """Someone changed the incident's particulars after this form (or API read) was loaded."""

    def __init__(self, current: str, expected: str):
        super().__init__("edit_conflict", _(
            "Someone else changed this incident's details after you opened the form. Their "
            "values are shown below; what you entered is kept. Save again to replace them."),
            current_etag=current, expected_etag=expected)
        self.current = current
        self.expected = expected


@dataclass
class IncidentUpdate:
    """What ``do_update_incident`` did."""

    incident: Incident
    changed: list[str] = field(default_factory=list)  # empty: nothing saved, nothing recorded
    facts: FactsUpdate | None = None  # a new facts version when vendor involvement changed

    @property
    def saved(self) -> bool:
        return bool(self.changed)


def do_update_incident(incident: Incident, *, expected_etag: str, actor,
                       **changes: Any) -> IncidentUpdate:
    """Edit the title, summary, responsible organisation or vendor (委託先) involvement.

    ``changes`` holds only the fields to set. Refused with ``IncidentEditConflict`` when the
    particulars are no longer what the editor was shown (``incident_etag``). Vendor involvement
    is a fact too: changing it saves a new facts version and assessment (duty changes and task
    moves on the timeline, as for any facts edit) under this action's one audit event.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    for name in ("title", "summary", "organisation"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    if "title" in changes and not changes["title"]:
        raise ActionError("title_required", _("Give the incident a title."))
    if len(changes.get("title", "")) > TITLE_MAX or len(
            changes.get("organisation", "")) > ORGANISATION_MAX:
        raise ActionError("too_long", _("The title and the organisation are at most 200 "
                                        "characters."))
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        require_role(actor, incident, Need.EDIT)
        current = incident_etag(incident)
        if current != expected_etag:
            raise IncidentEditConflict(current, expected_etag)
        changed = [n for n in EDITABLE_FIELDS if n in changes and changes[n] != getattr(
            incident, n)]
        if not changed:
            return IncidentUpdate(incident)
        before = state(incident, INCIDENT_FIELDS)
        plain = [n for n in changed if n != "vendor_involved"]
        for name in plain:
            setattr(incident, name, changes[name])
        if plain:
            incident.save(update_fields=[*plain, "updated_at"])
        details: dict[str, Any] = {"changed": changed}
        facts_update = None
        if "vendor_involved" in changed:
            latest = incident.latest_facts()
            facts = parse_facts({**(latest.facts if latest else {}),
                                 "vendor_involved": changes["vendor_involved"]})
            saved = _save_facts(incident, facts, expected_version=incident.version, actor=actor)
            facts_update = saved.update
            if saved.update.saved:
                details.update({f"facts_{k}" if k == "changed" else k: v
                                for k, v in _facts_details(saved).items()})
            else:  # the facts already said so (the column lagged): keep the column in step,
                # and updated_at with it (kept page parts read it in their fingerprint)
                Incident.objects.filter(pk=incident.pk).update(
                    vendor_involved=changes["vendor_involved"], updated_at=timezone.now())
            incident.refresh_from_db()
        record_event(actor=actor, action="incident.update", obj=incident,
                     incident_id=incident.pk, before=before,
                     after=state(incident, INCIDENT_FIELDS), details=details)
    return IncidentUpdate(incident, changed, facts_update)


# --- people and access ------------------------------------------------------------------------

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


def _locked_membership(membership: Membership, actor) -> Membership:
    """The membership, re-read under a lock on its incident (so that two leads changing roles
    at once cannot both step down), with the actor's right to manage people checked."""
    Incident.objects.select_for_update().get(pk=membership.incident_id)
    require_role(actor, membership.incident, Need.MANAGE)
    return (Membership.objects.select_for_update().select_related("user", "incident")
            .get(pk=membership.pk))


def _other_leads(membership: Membership) -> bool:
    return (Membership.objects.filter(incident_id=membership.incident_id, role=Role.LEAD)
            .exclude(pk=membership.pk).exists())


MEMBER_FIELDS = ("incident", "user", "role")


def do_change_member_role(membership: Membership, role: str, *, actor) -> Membership:
    """Give a member another role (lead only). The last lead cannot step down: someone must be
    able to manage the case and close it. The same role again changes and records nothing."""
    role = Role(role)
    with transaction.atomic():
        membership = _locked_membership(membership, actor)
        old = Role(membership.role)
        if old == role:
            return membership
        if old == Role.LEAD and not _other_leads(membership):
            raise ActionError("last_lead", _(
                "%(user)s is the only lead of this incident. Make another member lead first; "
                "an incident always needs a lead.") % {"user": membership.user.get_username()})
        before = state(membership, MEMBER_FIELDS)
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        record_event(actor=actor, action="member.role_change", obj=membership,
                     incident_id=membership.incident_id, before=before,
                     after=state(membership, MEMBER_FIELDS),
                     details={"user_id": membership.user_id, "from": old.value,
                              "to": role.value})
    return membership


def do_remove_member(membership: Membership, *, actor) -> incident_apps.Reaction:
    """Take a member off the case (lead only); not the last lead. The other apps let go of
    what the member held (their open tasks lose their owner, so that no task is left with
    someone who can no longer see it): returned for the page and audited."""
    with transaction.atomic():
        membership = _locked_membership(membership, actor)
        if membership.role == Role.LEAD and not _other_leads(membership):
            raise ActionError("last_lead", _(
                "%(user)s is the only lead of this incident and cannot be removed. Make "
                "another member lead first.") % {"user": membership.user.get_username()})
        reaction = incident_apps.announce("member_removed", incident=membership.incident,
                                          user=membership.user, actor=actor)
        record_event(actor=actor, action="member.remove", obj=membership,
                     incident_id=membership.incident_id,
                     before=state(membership, MEMBER_FIELDS),
                     details={"user_id": membership.user_id, "role": membership.role,
                              **reaction.audit_details})
        membership.delete()
    return reaction


def do_change_status(incident: Incident, status: str, *, actor, note: str = "",
                     close_reason: str = "", acknowledged_duties=()) -> Incident:
    """Move the case along its lifecycle; closing (完了) or reopening is for the lead only.

    Closing over open duties (``rouei.domain.duties``: a report not recorded as filed, the
    notice to individuals not done, open tasks) is refused with ``Conflict("open_duties")``
    listing them, unless the lead ticks each one (``acknowledged_duties``: their codes) and
    gives ``close_reason`` (issue 11, guard rail 1). A ticked box per duty is what "a reason
    that names each duty" means here: free text cannot be checked for naming one. The duties
    closed over and the reason go on the timeline; the codes go into the audit event."""
    status = Status(status)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        old = Status(incident.status)
        closing = Status.CLOSED in (status, old)
        require_role(actor, incident, Need.CLOSE if closing else Need.EDIT)
        if status == old:
            raise ActionError("same_status", _("The incident already has this status."))
        open_codes: list[str] = []
        open_tasks = 0
        if status == Status.CLOSED:
            found = open_duties_of(incident)
            open_codes = [d.code for d in found]
            open_tasks = incident_apps.duty_inputs(incident).get("open_tasks", 0)
            if found and (not close_reason.strip()
                          or unacknowledged(open_codes, acknowledged_duties)):
                raise Conflict(
                    "open_duties",
                    _("The incident has open duties: %(duties)s. To close it anyway, tick "
                      "each one and give the reason.") % {
                        "duties": "、".join(d.label for d in found)},
                    field="close_reason", open_duties=[d.as_dict() for d in found])
        before = state(incident, INCIDENT_FIELDS)
        incident.status = status
        incident.save(update_fields=["status", "updated_at"])
        messages = {}
        for lang in ("ja", "en"):
            with translation.override(lang):
                messages[lang] = _("Status changed from “%(old)s” to “%(new)s”.") % {
                    "old": old.label, "new": status.label}
                if open_codes:
                    sep = "、" if lang == "ja" else "; "
                    messages[lang] += " " + _("Closed with open duties: %(duties)s. Reason: "
                                              "%(reason)s") % {
                        "duties": sep.join(duty_label(c, open_tasks) for c in open_codes),
                        "reason": close_reason.strip()}
        if note.strip():
            messages = {"ja": f"{messages['ja']}{note.strip()}",
                        "en": f"{messages['en']} {note.strip()}"}
        data = {"from": old.value, "to": status.value, "messages": [messages]}
        details = {"from": old.value, "to": status.value}
        if open_codes:
            data["open_duties"] = details["open_duties"] = open_codes
        add_timeline_entry(incident, kind=TimelineKind.STATUS_CHANGE, at=timezone.now(),
                           text=messages["ja"], author=actor, data=data)
        record_event(actor=actor, action="status.change", obj=incident, incident_id=incident.pk,
                     before=before, after=state(incident, INCIDENT_FIELDS), details=details)
    return incident


def do_record_filed_report(incident: Incident, *, kind: str, filed_at: dt.datetime,
                           channel: str, filed_by, receipt_number: str = "", note: str = "",
                           actor) -> FiledReport:
    """Record that a report was filed (提出記録): it closes that report's deadline on the
    incident page, the dashboard and the calendar. One record per filing; never edited."""
    kind, channel = ReportKind(kind), ReportChannel(channel)
    if timezone.is_naive(filed_at):
        raise ActionError("naive_datetime", "filed_at must be timezone-aware")
    if in_future(filed_at):
        raise ActionError(FUTURE_DATE, future_date_message(_("The time of filing")),
                          field="filed_at")
    with transaction.atomic():
        require_role(actor, incident, Need.PUBLISH)
        if not Membership.objects.filter(incident=incident, user=filed_by).exists():
            raise ActionError("not_a_member", _("Who filed must be a member of the incident."),
                              field="filed_by")
        report = FiledReport.objects.create(
            incident=incident, kind=kind, filed_at=filed_at, channel=channel,
            receipt_number=receipt_number.strip(), filed_by=filed_by, note=note.strip(),
            recorded_by=actor)
        messages = {}
        for lang in ("ja", "en"):
            with translation.override(lang):
                messages[lang] = _("%(report)s filed (%(channel)s).") % {
                    "report": kind.label, "channel": channel.label}
                if report.receipt_number:
                    messages[lang] += " " + _("Receipt number: %(number)s") % {
                        "number": report.receipt_number}
        add_timeline_entry(incident, kind=TimelineKind.REPORT_FILED, at=filed_at,
                           text=messages["ja"], author=actor,
                           data={"report_id": report.pk, "messages": [messages]})
        record_event(actor=actor, action="report.file", obj=report, incident_id=incident.pk,
                     after=state(report, FILED_REPORT_FIELDS),
                     details={"report_id": report.pk, "kind": kind.value,
                              "channel": channel.value})
    return report


def _check_timeline(kind: str, at: dt.datetime, text: str) -> TimelineKind:
    kind = TimelineKind(kind)
    if kind not in MANUAL_TIMELINE_KINDS:
        raise ActionError("system_kind", _("This kind of entry is written by rouei itself."))
    if timezone.is_naive(at):
        raise ActionError("naive_datetime", "timeline times must be timezone-aware")
    if in_future(at):
        raise ActionError(FUTURE_DATE, future_date_message(_("The time of the timeline entry")))
    if not text.strip():
        raise ActionError("empty_text", _("Describe what happened."))
    return kind


def do_add_timeline_event(incident: Incident, *, kind: str, at: dt.datetime, text: str,
                          actor) -> TimelineEvent:
    kind = _check_timeline(kind, at, text)
    with transaction.atomic():
        require_role(actor, incident, Need.EDIT)
        event = add_timeline_entry(incident, kind=kind, at=at, text=text.strip(), author=actor)
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
        refuse_undecryptable(event.text, event.edited_reason, event.data, event.revisions)
        before = state(event, TIMELINE_FIELDS)
        event.revisions = [*event.revisions, {
            "kind": event.kind, "at": event.at.isoformat(), "text": event.text,
            "replaced_at": timezone.now().isoformat(), "replaced_by": actor.pk,
            "reason": reason.strip()}]
        event.kind, event.at, event.text = kind, at, text.strip()
        # Words rouei wrote in both languages (a task done) no longer match a corrected text.
        event.data = {k: v for k, v in (event.data or {}).items() if k != "messages"}
        event.edited_reason, event.edited_by = reason.strip(), actor
        event.save()
        record_event(actor=actor, action="timeline.edit", obj=event,
                     incident_id=event.incident_id, before=before,
                     after=state(event, TIMELINE_FIELDS),
                     details={"event_id": event.pk, "kind": kind.value})
    return event


# --- the day the company knew: one fact (rouei.incidents.knew_date) ---------------------------

def do_accept_knew_date(incident: Incident, day: dt.date, *, expected_version: int,
                        actor) -> FactsUpdate:
    """Take the day of a 判明 timeline entry as the facts' 知った日 (``knew_at``), through
    ``do_update_facts``: its one ``facts.update`` event, the duty changes announced as for any
    facts edit. Refused when no 判明 entry proposes that day any more (corrected meanwhile)."""
    if day not in knew_date.check(incident).proposals:
        raise ActionError("not_proposed", _(
            "No timeline entry proposes this day any more. Check the page again."))
    latest = incident.latest_facts()
    mapping = {**(latest.facts if latest else {}), "knew_at": day.isoformat()}
    return do_update_facts(incident, mapping, expected_version=expected_version, actor=actor)
