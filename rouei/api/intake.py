"""The signals endpoints: record a signal (a SIEM alert, a complaint taken by another system)
and read one.

Signals come before any incident, so access is by the token user's model permissions, as on the
pages: without ``signals.view_signal`` a signal is 404 like a missing one; recording needs
``signals.add_signal`` (403 without it). Reading is audited (``signal.view``), and the
complainant's personal data comes masked unless ``reveal=true`` (audited as ``signal.reveal``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import field_validator

from rouei.api.common import (
    MAX_ID,
    CleanText,
    ErrorOut,
    StrictSchema,
    ValidationErrorOut,
    past_time,
    text_field,
)
from rouei.domain.items import CATALOGUE
from rouei.intake import actions, services
from rouei.intake.choices import Channel, SignalKind, SignalStatus
from rouei.intake.permissions import ADD, access_signal

router = Router(tags=["signals"])

SignalId = Path(..., ge=1, le=MAX_ID, description="The signal's id")
ItemId = Literal[tuple(item.id for item in CATALOGUE)]  # the catalogue's ids (rouei.domain.items)


class SignalIn(StrictSchema):
    """A signal: by default a system alert from a SIEM. ``subject`` shows in lists: no personal
    data there. Hearing items of a complaint go in the other fields (the complainant's name,
    contact and the free texts are encrypted at rest)."""

    subject: CleanText = text_field(200, required=True,
                                    description="A short line, without personal data")
    kind: SignalKind = Field(SignalKind.SYSTEM_ALERT)
    channel: Channel = Field(Channel.SIEM)
    received_at: dt.datetime | None = Field(
        None, description="When it came in (ISO 8601; without an offset it is JST; not in the "
                    "future); default now")
    reference: CleanText = text_field(200, description="The alert's or ticket's id")
    sender_name: CleanText = text_field(200, description="Who sent the mail or made contact")
    sender_contact: CleanText = text_field(200)
    items: list[ItemId] = Field(default_factory=list, max_length=len(CATALOGUE),
                                description="Data items involved (catalogue ids)")
    suspicion_reason: CleanText = text_field(4000, description="Why a leak is suspected")
    origin_reason: CleanText = text_field(4000, description="Why it is thought to come from us")
    complainant_name: CleanText = text_field(200)
    complainant_contact: CleanText = text_field(200)
    notes: CleanText = text_field(10_000)

    @field_validator("received_at")
    @classmethod
    def _sensible_time(cls, value: dt.datetime | None) -> dt.datetime | None:
        return None if value is None else past_time(value, _("Received at"))


class SignalOut(Schema):
    id: int
    subject: str
    kind: SignalKind
    channel: Channel
    received_at: dt.datetime
    reference: str
    sender_name: str
    sender_contact: str
    items: list[str]
    status: SignalStatus
    incident_id: int | None = Field(description="The incident it is part of, if any")
    linked_ids: list[int] = Field(description="Signals linked to this one")
    warning: bool = Field(description="Part of enough similar open signals to raise the "
                                      "warning (consider opening an incident)")
    revealed: bool = Field(description="Whether the personal data below is shown unmasked")
    complainant_name: str
    complainant_contact: str
    suspicion_reason: str
    origin_reason: str
    notes: str
    created_at: dt.datetime


def _signal(signal, *, revealed: bool) -> dict:
    pii = services.personal_data(signal, revealed=revealed)
    return {
        "id": signal.pk, "subject": signal.subject, "kind": signal.kind,
        "channel": signal.channel, "received_at": signal.received_at,
        "reference": signal.reference, "sender_name": signal.sender_name,
        "sender_contact": signal.sender_contact, "items": list(signal.items),
        "status": signal.status, "incident_id": signal.incident_id,
        "linked_ids": list(signal.linked().values_list("pk", flat=True)),
        "warning": services.warning_for(signal) is not None,
        "revealed": revealed, **{k: str(v or "") for k, v in pii.items()},
        "created_at": signal.created_at,
    }


@router.post("/signals", response={201: SignalOut, 401: ErrorOut, 403: ErrorOut,
                                   404: ErrorOut, 422: ValidationErrorOut},
             summary="Record a signal (e.g. a SIEM alert)")
def create_signal(request, payload: SignalIn):
    """Record a signal before any incident exists. Needs the ``signals.add_signal`` permission
    (the 受付窓口 / intake group); several similar open signals raise the warning."""
    if not request.auth.has_perm(ADD):
        raise PermissionDenied(_("You may not record or change signals."))
    data = payload.dict()
    signal = actions.do_record_signal(**data, actor=request.auth)
    return HttpStatus(201, _signal(signal, revealed=False))


@router.get("/signals/{signal_id}", response={200: SignalOut, 401: ErrorOut, 404: ErrorOut,
                                             422: ValidationErrorOut},
            summary="Read a signal")
def get_signal(request, signal_id: int = SignalId, reveal: bool = False):
    """One signal; the complainant's personal data is masked unless ``reveal=true``. Every read
    is recorded in the audit trail (``signal.view`` or ``signal.reveal``)."""
    signal = access_signal(request.auth, signal_id)
    actions.do_view_signal(signal, reveal=reveal, actor=request.auth)
    return _signal(signal, revealed=reveal)
