"""The filed-report endpoints: list the reports recorded as filed for an incident, and record
one (速報, 確報, 追完, the My Number Act report, a processor's notice). A record closes that
report's deadline (``next_deadline`` of the incident, the dashboard, the calendar feed).

A thin layer: the read goes through ``access_incident``, the write through the incident app's
audited ``do_record_filed_report`` with the token's user as the actor.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import field_validator

from rouei.api.common import MAX_ID, CleanText, ErrorOut, StrictSchema, past_time, text_field
from rouei.api.incidents import READ_ERRORS, WRITE_ERRORS
from rouei.core.access import Need, access_incident
from rouei.core.errors import ActionError
from rouei.incidents import actions
from rouei.incidents.choices import ReportChannel, ReportKind

router = Router(tags=["reports"])

IncidentId = Path(..., ge=1, le=MAX_ID, description="The incident's id")


class FiledByOut(Schema):
    id: int
    username: str


class FiledReportOut(Schema):
    id: int
    kind: ReportKind
    filed_at: dt.datetime
    channel: ReportChannel
    receipt_number: str = Field(description="The PPC's receipt number (受付番号); may be empty")
    filed_by: FiledByOut
    note: str
    recorded_at: dt.datetime


class FiledReportIn(StrictSchema):
    """One filing. Records are never changed: a later addition is a ``supplement`` of its own."""

    kind: ReportKind
    filed_at: dt.datetime = Field(description="When it was filed (without a zone: JST); not in "
                                              "the future")
    channel: ReportChannel
    receipt_number: CleanText = text_field(100, description="The PPC's receipt number (受付番号)")
    filed_by: int | None = Field(None, ge=1, le=MAX_ID,
                                 description="The member who filed (default: you)")
    note: CleanText = text_field(4000)

    @field_validator("filed_at")
    @classmethod
    def _sensible_time(cls, value: dt.datetime) -> dt.datetime:
        return past_time(value, _("Filed at"))


def _report(report) -> dict:
    return {"id": report.pk, "kind": report.kind, "filed_at": report.filed_at,
            "channel": report.channel, "receipt_number": report.receipt_number,
            "filed_by": {"id": report.filed_by_id, "username": report.filed_by.get_username()},
            "note": report.note, "recorded_at": report.created_at}


@router.get("/incidents/{incident_id}/reports", response={200: list[FiledReportOut],
                                                          **READ_ERRORS},
            summary="List the reports recorded as filed")
def list_reports(request, incident_id: int = IncidentId):
    """Every filing recorded for the incident, oldest first."""
    incident = access_incident(request.auth, incident_id, Need.VIEW)
    return [_report(r) for r in incident.filed_reports.select_related("filed_by")]


@router.post("/incidents/{incident_id}/reports",
             response={201: FiledReportOut, 400: ErrorOut, **WRITE_ERRORS},
             summary="Record a report as filed")
def record_report(request, payload: FiledReportIn, incident_id: int = IncidentId):
    """Record a filing (roles that publish: lead, legal, PR). It closes that report's deadline
    wherever deadlines are shown; a filed report is never overdue."""
    incident = access_incident(request.auth, incident_id, Need.PUBLISH)
    filed_by = request.auth
    if payload.filed_by is not None:
        filed_by = get_user_model().objects.filter(
            pk=payload.filed_by, incident_memberships__incident=incident).first()
        if filed_by is None:
            raise ActionError("not_a_member", _("Who filed must be a member of the incident."),
                              field="filed_by")
    report = actions.do_record_filed_report(
        incident, kind=payload.kind, filed_at=payload.filed_at, channel=payload.channel,
        receipt_number=payload.receipt_number, filed_by=filed_by, note=payload.note,
        actor=request.auth)
    return HttpStatus(201, _report(report))
