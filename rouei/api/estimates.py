"""The spend endpoints (the incident's spend page, ``/incidents/<id>/estimate/spend/``): list
the money spent beside the estimate, record a spend, correct one — through the estimates app's
audited actions (``do_add_spend``, ``do_update_spend``) with the token's user as the actor.
The same roles as the page: every member reads; the editor roles record and correct."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Router, Schema
from ninja.responses import Status as HttpStatus

from rouei.api.common import MAX_ID, CleanText, ConflictOut, ErrorOut, StrictSchema, text_field
from rouei.api.incidents import READ_ERRORS, WRITE_ERRORS, IncidentId
from rouei.core.access import Need, access_incident
from rouei.estimates import actions
from rouei.estimates.choices import SPEND_CATEGORIES
from rouei.estimates.models import Spend
from rouei.estimates.services import spend_record, spend_report
from rouei.ui.lang import current_lang

router = Router(tags=["estimates"])

SpendId = Path(..., ge=1, le=MAX_ID, description="The spend record's id")
SpendCategory = Enum("SpendCategory", {key: key for key in SPEND_CATEGORIES}, type=str)
SPEND_PATH = "/incidents/{incident_id}/estimate/spend"


class RecordedByOut(Schema):
    id: int
    username: str


class SpendOut(Schema):
    id: int
    spent_on: dt.date
    category: SpendCategory
    category_label: str = Field(description="In the language of the request")
    amount: int = Field(description="Yen")
    note: str
    version: int = Field(description="Send it back as expected_version to correct the record")
    recorded_by: RecordedByOut
    recorded_at: dt.datetime


class SpendLineOut(Schema):
    key: SpendCategory
    label: str
    estimate: int | None = Field(description="The response-cost estimate's line (None: none)")
    spent: int
    difference: int | None = Field(description="spent minus estimate")


class SpendTotalOut(Schema):
    estimate: int | None
    spent: int
    difference: int | None


class SpendSummaryOut(Schema):
    entries: int
    lines: list[SpendLineOut] = Field(description="Each category with an estimate or a spend")
    total: SpendTotalOut


class SpendReportOut(Schema):
    records: list[SpendOut] = Field(description="Oldest first")
    summary: SpendSummaryOut


class SpendIn(StrictSchema):
    spent_on: dt.date = Field(description="The day of the payment or invoice; not in the future")
    category: SpendCategory
    amount: int = Field(..., ge=1, le=actions.MAX_SPEND, description="Whole yen")
    note: CleanText = text_field(actions.NOTE_MAX)


class SpendUpdateIn(StrictSchema):
    """The fields to change; ``expected_version`` is the record's version as read (someone
    saved since: 409 with the current version)."""

    expected_version: int = Field(..., ge=1)
    spent_on: dt.date | None = None
    category: SpendCategory | None = None
    amount: int | None = Field(None, ge=1, le=actions.MAX_SPEND)
    note: CleanText | None = Field(None, max_length=actions.NOTE_MAX)


def _values(payload, fields) -> dict:
    values = {name: getattr(payload, name) for name in fields
              if getattr(payload, name) is not None}
    if "category" in values:
        values["category"] = values["category"].value
    return values


@router.get(SPEND_PATH, response={200: SpendReportOut, **READ_ERRORS},
            summary="List the money spent, beside the estimate")
def list_spend(request, incident_id: int = IncidentId):
    """The spend records and, per category and in total, the spend beside the response-cost
    estimate (as the spend page and the board report show them)."""
    incident = access_incident(request.auth, incident_id, Need.VIEW)
    return spend_report(incident, current_lang())


@router.post(SPEND_PATH, response={201: SpendOut, 400: ErrorOut, **WRITE_ERRORS},
             summary="Record a spend")
def add_spend(request, payload: SpendIn, incident_id: int = IncidentId):
    """Record money spent on the response (editor roles); one audited ``spend.add`` event."""
    incident = access_incident(request.auth, incident_id, Need.EDIT)
    row = actions.do_add_spend(incident, actor=request.auth,
                               **_values(payload, actions.SPEND_EDITABLE))
    return HttpStatus(201, spend_record(row, current_lang()))


@router.patch(SPEND_PATH + "/{spend_id}",
              response={200: SpendOut, 400: ErrorOut, 409: ConflictOut, **WRITE_ERRORS},
              summary="Correct a spend record")
def update_spend(request, payload: SpendUpdateIn, incident_id: int = IncidentId,
                 spend_id: int = SpendId):
    """Correct a spend record (editor roles) from the version read; one audited
    ``spend.update`` event (none when nothing changes)."""
    incident = access_incident(request.auth, incident_id, Need.EDIT)
    row = get_object_or_404(Spend, incident=incident, pk=spend_id)
    row = actions.do_update_spend(row, actor=request.auth,
                                  expected_version=payload.expected_version,
                                  **_values(payload, actions.SPEND_EDITABLE))
    return spend_record(row, current_lang())
