"""The incidents endpoints: create (the caller becomes lead), list mine, read one, edit its
particulars (PATCH with the ``etag`` read), read and update the facts, read the latest
assessment with its deadlines.

A thin layer: every read of a case goes through ``access_incident`` (404 for non-members and
missing cases alike, 403 for a role that may not write), every write through the incident app's
audited actions with the token's user as the actor. No business rule lives here.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import Status as HttpStatus

from rouei.api.common import (
    MAX_ID,
    CleanText,
    ConflictOut,
    ErrorOut,
    FactsPayload,
    PageIn,
    StrictSchema,
    ValidationErrorOut,
    text_field,
)
from rouei.core.access import Need, Role, access_incident, incidents_for
from rouei.domain.assessment import RegimeResult
from rouei.domain.duties import (
    OPEN_FINAL,
    OPEN_MY_NUMBER,
    OPEN_NOTICE,
    OPEN_PRELIMINARY,
    OPEN_TASKS,
)
from rouei.domain.rules.base import Unknown
from rouei.incidents import actions
from rouei.incidents.choices import Status
from rouei.incidents.services import next_deadline, with_latest_snapshots
from rouei.ui.lang import current_lang

router = Router(tags=["incidents"])

IncidentId = Path(..., ge=1, le=MAX_ID, description="The incident's id")
Lang = Literal["ja", "en"]
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS = {**READ_ERRORS, 403: ErrorOut}


# --- schemas --------------------------------------------------------------------------------

class IncidentIn(StrictSchema):
    """A new incident, e.g. from a SIEM alert. Title and summary must not contain personal data
    (they show in lists); the facts can follow later."""

    title: CleanText = text_field(200, required=True, description="A short name, no personal data")
    summary: CleanText = text_field(10_000)
    organisation: CleanText = text_field(200, description="The responsible organisation")
    vendor_involved: bool | None = Field(None, description="Did it happen at a processor (委託先)?")
    facts: FactsPayload | None = Field(None, description="The facts known so far (version 1)")


class NextDeadlineOut(Schema):
    kind: Literal["preliminary_report", "final_report"]
    label: str
    due: dt.date
    days_left: int = Field(description="Negative when overdue")


class IncidentOut(Schema):
    id: int
    title: str
    summary: str
    organisation: str
    vendor_involved: bool | None
    status: Status
    version: int = Field(description="The facts' version: send it as expected_version")
    etag: str = Field(description="Digest of title, summary, organisation and vendor "
                                  "involvement: send it as expected_etag when you PATCH")
    role: Role = Field(description="Your role on this incident")
    report_required: bool | None = Field(description="From the latest assessment (null: "
                                                     "undecided, prepare as if required)")
    next_deadline: NextDeadlineOut | None
    created_at: dt.datetime
    updated_at: dt.datetime


OpenDutyCode = Literal[OPEN_PRELIMINARY, OPEN_FINAL, OPEN_MY_NUMBER, OPEN_NOTICE, OPEN_TASKS]


class IncidentUpdateIn(StrictSchema):
    """The particulars and/or the status to change; a field left out stays as it is.

    ``expected_etag`` is the ``etag`` you read: if someone changed the particulars since,
    nothing is saved (409). It is required with a particular and not needed for a status-only
    change: the etag covers the particulars, not the status, and a status change is checked
    against the status as it is when it is saved (the same status again is a 400).
    Changing ``vendor_involved`` (null: unknown) also saves a new facts version.

    ``status`` moves the case as the page does: closing (``closed``) or reopening is for the
    lead; a close while legal duties are open (a report not recorded as filed, the notice to
    individuals not done, open tasks) is refused with 409 ``open_duties`` and their list,
    unless ``acknowledged_duties`` names every listed code and ``close_reason`` says why.
    Particulars and status are saved together or not at all."""

    expected_etag: str = Field(None, min_length=1, max_length=64,
                               description="The etag of the incident as you read it; required "
                                           "when a particular is changed")
    title: CleanText = Field(None, min_length=1, max_length=200, pattern=r"\S",
                             description="A short name, no personal data")
    summary: CleanText = Field(None, max_length=10_000)
    organisation: CleanText = Field(None, max_length=200,
                                    description="The responsible organisation")
    vendor_involved: bool | None = Field(None, description="Did it happen at a processor "
                                                           "(委託先)?")
    status: Status = Field(None, description="The new status (closing: the lead only)")
    close_reason: CleanText = Field(None, max_length=2000,
                                    description="Why the case may close with the open duties")
    acknowledged_duties: list[OpenDutyCode] = Field(
        None, max_length=10, description="The codes of the open duties you close over: every "
                                         "one the refusal listed")


class EditConflictOut(ErrorOut):
    current_etag: str
    expected_etag: str


class OpenDutyOut(Schema):
    code: OpenDutyCode
    label: str


class OpenDutiesOut(ErrorOut):
    """A refused close (code ``open_duties``): the duties still open."""

    open_duties: list[OpenDutyOut]


class IncidentPage(Schema):
    items: list[IncidentOut]
    count: int
    limit: int
    offset: int


class FactsOut(Schema):
    version: int = Field(description="Send it back as expected_version when you update")
    saved_at: dt.datetime | None
    facts: FactsPayload


class FactsUpdateIn(StrictSchema):
    """The complete facts as they are known now: a key left out becomes unknown."""

    expected_version: int = Field(..., ge=1, le=2**31 - 1,
                                  description="The version your facts are based on")
    facts: FactsPayload


class DutyChangeOut(Schema):
    code: str
    ja: str
    en: str


class FactsUpdateOut(Schema):
    saved: bool = Field(description="False when nothing changed (no new version)")
    version: int
    facts: FactsPayload
    changed: list[str] = Field(description="The facts' keys that changed")
    duty_changes: list[DutyChangeOut] = Field(description="Duties, triggers or deadlines that "
                                                          "changed (also in the timeline)")


class WindowOut(Schema):
    start: dt.date
    end: dt.date = Field(description="The end of the PPC's guide of about 3–5 days")
    days_left: int = Field(description="Days from today to the end; negative when past")


class FindingOut(Schema):
    id: str
    kind: str
    label: str
    status: Literal["yes", "no", "unknown"]
    text: str
    citation: str


class ReasonOut(Schema):
    code: str
    text: str
    citation: str


class UnknownOut(Schema):
    field: str
    text: str


class RegimeOut(Schema):
    report_required: bool | None = Field(description="null: undecided, prepare as if required")
    notify_required: bool | None
    triggers: list[str] = Field(description="Triggers that apply")
    possible_triggers: list[str] = Field(description="Triggers that depend on an unknown fact")
    exceptions: list[str]
    trigger_details: list[FindingOut]
    exception_details: list[FindingOut]
    preliminary_report_window: WindowOut | None = Field(description="速報 (preliminary report)")
    final_report_due: dt.date | None = Field(description="確報 (final report)")
    final_report_days: int | None
    final_report_days_left: int | None
    reasons: list[ReasonOut]
    unknowns: list[UnknownOut]


class RulesVersionOut(Schema):
    id: str
    label: str
    note: str


class AssessmentOut(RegimeOut):
    facts_version: int
    assessed_at: dt.datetime
    lang: Lang
    knew_date: dt.date | None = Field(description="Day 1 of every deadline (JST)")
    reference_date: dt.date
    rules_version: RulesVersionOut
    next_deadline: NextDeadlineOut | None
    my_number_act: RegimeOut | None = Field(description="My Number Act Art. 29-4, when My "
                                                        "Numbers are involved")


# --- shaping --------------------------------------------------------------------------------


def _next_deadline(incident, snapshot, lang: str, today: dt.date) -> dict | None:
    filed = getattr(incident, "filed", None)
    found = next_deadline(snapshot, incident.filed_kinds() if filed is None else filed, lang,
                          today)
    if found is None:
        return None
    return {"kind": f"{found.kind}_report", "label": found.name, "due": found.deadline.day,
            "days_left": found.deadline.days_left}


def _incident(incident, role: str, snapshot, lang: str, today: dt.date) -> dict:
    return {
        "id": incident.pk, "title": incident.title, "summary": incident.summary,
        "organisation": incident.organisation, "vendor_involved": incident.vendor_involved,
        "status": incident.status, "version": incident.version,
        "etag": actions.incident_etag(incident), "role": role,
        "report_required": snapshot.report_required if snapshot else None,
        "next_deadline": _next_deadline(incident, snapshot, lang, today),
        "created_at": incident.created_at, "updated_at": incident.updated_at,
    }


def _days_left(day: dt.date | None, today: dt.date) -> int | None:
    return (day - today).days if day else None


def _regime(result: RegimeResult, lang: str, today: dt.date,
            unknowns: tuple[Unknown, ...]) -> dict:
    """One law's part of a stored assessment, its texts in ``lang``."""
    window = result.preliminary_report_window
    texts = result.to_dict(lang)
    return {
        "report_required": result.report_required, "notify_required": result.notify_required,
        "final_report_due": result.final_report_due,
        "final_report_days": result.final_report_days,
        "triggers": list(result.triggers), "possible_triggers": list(result.possible_triggers),
        "exceptions": list(result.exceptions),
        **{key: texts[key] for key in ("trigger_details", "exception_details", "reasons")},
        "unknowns": [{"field": u.field, "text": u.text(lang)} for u in unknowns],
        "preliminary_report_window": {"start": window[0], "end": window[1],
                                      "days_left": _days_left(window[1], today)}
        if window else None,
        "final_report_days_left": _days_left(result.final_report_due, today),
    }


# --- endpoints ------------------------------------------------------------------------------

@router.get("/incidents", response={200: IncidentPage, 401: ErrorOut, 422: ValidationErrorOut},
            summary="List my incidents")
def list_incidents(request, page: Query[PageIn]):
    """The incidents you are a member of, newest first, with your role and the next deadline."""
    mine = incidents_for(request.auth).order_by("-created_at", "-id")
    count = mine.count()
    ids = list(mine.values_list("pk", flat=True)[page.offset:page.offset + page.limit])
    rows = with_latest_snapshots(
        mine.filter(pk__in=ids).annotate(member_role=F("memberships__role")))
    lang, today = current_lang(), timezone.localdate()
    items = [_incident(row, row.member_role, row.latest_snapshot_obj, lang, today)
             for row in rows]
    return {"items": items, "count": count, "limit": page.limit, "offset": page.offset}


@router.post("/incidents", response={201: IncidentOut, 401: ErrorOut, 422: ValidationErrorOut},
             summary="Open an incident")
def create_incident(request, payload: IncidentIn):
    """Open an incident (for example from a SIEM alert); you become its lead. Facts given here
    are version 1; bad facts are a 422 naming the field."""
    incident = actions.do_create_incident(
        title=payload.title, summary=payload.summary, organisation=payload.organisation,
        vendor_involved=payload.vendor_involved, facts=payload.facts, actor=request.auth)
    return HttpStatus(201, _incident(incident, Role.LEAD, incident.latest_snapshot(),
                                     current_lang(), timezone.localdate()))


@router.get("/incidents/{incident_id}", response={200: IncidentOut, **READ_ERRORS},
            summary="Read an incident")
def get_incident(request, incident_id: int = IncidentId):
    incident = access_incident(request.auth, incident_id, Need.VIEW)
    return _incident(incident, incident.member_role, incident.latest_snapshot(), current_lang(),
                     timezone.localdate())


@router.patch("/incidents/{incident_id}",
              response={200: IncidentOut, 400: ErrorOut,
                        409: EditConflictOut | OpenDutiesOut, **WRITE_ERRORS},
              summary="Edit an incident's particulars or change its status")
def update_incident(request, payload: IncidentUpdateIn, incident_id: int = IncidentId):
    """Change the title, summary, responsible organisation or vendor involvement (editor
    roles), with ``expected_etag``; a stale etag is a 409 with the current one: read the
    incident again and retry. Change the status with ``status`` (etag not needed); a close
    over open duties is a 409 ``open_duties`` with the list (see the request body)."""
    incident = access_incident(request.auth, incident_id, Need.EDIT)
    role = incident.member_role
    changes = payload.dict(exclude_unset=True)
    expected = changes.pop("expected_etag", None)
    status = changes.pop("status", None)
    close_reason = changes.pop("close_reason", None) or ""
    acknowledged = changes.pop("acknowledged_duties", None) or []
    if expected is None and (changes or status is None):  # only a status change goes without
        raise NinjaValidationError([{"type": "missing", "loc": ("body", "expected_etag"),
                                     "msg": "Field required"}])
    with transaction.atomic():  # particulars and status together or not at all
        if expected is not None:
            incident = actions.do_update_incident(incident, expected_etag=expected,
                                                  actor=request.auth, **changes).incident
        if status is not None:
            incident = actions.do_change_status(incident, status, actor=request.auth,
                                                close_reason=close_reason,
                                                acknowledged_duties=acknowledged)
    return _incident(incident, role, incident.latest_snapshot(), current_lang(),
                     timezone.localdate())


@router.get("/incidents/{incident_id}/facts", response={200: FactsOut, **READ_ERRORS},
            summary="Read the facts")
def get_facts(request, incident_id: int = IncidentId):
    """The latest facts and the version to send back when you update them."""
    incident = access_incident(request.auth, incident_id, Need.VIEW)
    latest = incident.latest_facts()
    return {"version": incident.version, "saved_at": latest.created_at if latest else None,
            "facts": latest.facts if latest else {}}


@router.put("/incidents/{incident_id}/facts",
            response={200: FactsUpdateOut, 409: ConflictOut, **WRITE_ERRORS},
            summary="Update the facts")
def update_facts(request, payload: FactsUpdateIn, incident_id: int = IncidentId):
    """Replace the facts (a key left out becomes unknown) and reassess. ``expected_version`` is
    the version you read: if someone saved since, nothing is saved and the answer is 409 with
    the current version: read the facts again, merge, and retry."""
    incident = access_incident(request.auth, incident_id, Need.EDIT)
    result = actions.do_update_facts(incident, payload.facts,
                                     expected_version=payload.expected_version,
                                     actor=request.auth)
    latest = incident.latest_facts()
    return {"saved": result.saved, "version": incident.version,
            "facts": latest.facts if latest else {},
            "changed": [change["key"] for change in result.changes],
            "duty_changes": [change.to_dict() for change in result.duty_changes]}


@router.get("/incidents/{incident_id}/assessment", response={200: AssessmentOut, **READ_ERRORS},
            summary="Read the latest assessment and deadlines")
def get_assessment(request, incident_id: int = IncidentId, lang: Lang | None = None):
    """The assessment of the latest facts as stored when they were saved: whether to report to
    the PPC and notify the individuals, the triggers, the 速報 window, the 確報 due date, the
    next deadline given the status, and the My Number Act result. ``lang`` chooses the
    language of the texts (default: Japanese)."""
    incident = access_incident(request.auth, incident_id, Need.VIEW)
    snapshot = incident.latest_snapshot()
    if snapshot is None:  # every incident gets one when it is opened
        raise Http404
    lang = lang or current_lang()
    today = timezone.localdate()
    assessment = snapshot.assessment
    my_number = assessment.my_number_act
    return {
        **_regime(assessment.appi, lang, today, assessment.unknowns),
        "facts_version": snapshot.facts_version.number,
        "assessed_at": snapshot.created_at,
        "lang": lang,
        "knew_date": assessment.facts.knew_date,
        "reference_date": assessment.reference_date,
        "rules_version": assessment.rules_version_in(lang),
        "next_deadline": _next_deadline(incident, snapshot, lang, today),
        "my_number_act": _regime(my_number, lang, today, my_number.unknowns)
        if my_number else None,
    }
