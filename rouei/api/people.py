"""The registry's endpoints for a CTI or CRM integration: the look-up and the claim check, under
``/api/v1/incidents/{id}/people/…``. Both are rate-limited per token
(``ROUEI_PEOPLE_API_RATE``, default 120 a minute) and audited like the pages.

- ``POST …/people/lookup`` (``VIEW_PERSONAL``): the matches with masked contact data, as
  ``rouei people lookup --json`` gives them. A POST, so that a phone number or a name never
  travels in a URL (and so in no access log). While the registry's look-up keys were built
  under other rules (``rouei people reindex`` not run yet: a caller may not be found by name
  and address), each match says so (``keys_stale``, ``keys_warning``) and so does the
  response's ``X-Rouei-Keys-Stale`` header (``true``/``false``), also for an empty list.
- ``POST …/people/claims/check`` (``ANSWER_WINDOW``): each claim accepted or refused with a
  reason, as ``rouei people claims`` (an unknown number and a wrong birth date give one answer).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from ninja import Field, Path, Router, Schema
from ninja.throttling import AuthRateThrottle

from rouei.api.common import MAX_ID, CleanText, ErrorOut, StrictSchema, text_field
from rouei.api.incidents import WRITE_ERRORS
from rouei.core.access import Need, access_incident
from rouei.people import actions
from rouei.people.maintenance import STALE_KEYS_WARNING

router = Router(tags=["people"])

# The look-up's answer to "are the keys stale?" that an empty list can carry too.
STALE_HEADER = "X-Rouei-Keys-Stale"

IncidentId = Path(..., ge=1, le=MAX_ID, description="The incident's id")


class RegistryRateThrottle(AuthRateThrottle):
    """Per token user, counted in the ``throttle`` cache (in memory where the machine allows:
    ``rouei.config.env.caches``), shared by every web worker."""

    @property
    def cache(self):
        return caches["throttle"]


def _throttle() -> list:
    return [RegistryRateThrottle(getattr(settings, "ROUEI_PEOPLE_API_RATE", "120/min"))]


class LookupIn(StrictSchema):
    """What the caller gave; at least one of: ``ref``; ``phone``; ``email``; ``name`` with
    ``birth_date`` or ``address``. Any width, hyphens, kana, era dates, 丁目・番・号."""

    ref: CleanText = text_field(40, description="The reference number (受付番号) from the letter")
    phone: CleanText = text_field(40)
    email: CleanText = text_field(200)
    name: CleanText = text_field(100, description="Name in kanji or kana (with birth_date)")
    birth_date: CleanText = text_field(40, description="1985-04-01, 昭和60年4月1日, S60.4.1 …")
    address: CleanText = text_field(200, description="Postal address (with name): "
                                                     "3丁目2番1号 or 3-2-1, any width")


class MatchOut(Schema):
    ref: str
    items: list[str] = Field(description="Catalogue ids of the person's leaked items")
    confirmed: bool = Field(description="true: confirmed; false: only possibly affected")
    controller: str
    notice_status: str
    name: str = Field(description="Masked")
    postal_code: str = Field(description="Masked")
    address: str = Field(description="Masked")
    email: str = Field(description="Masked")
    phones: list[str] = Field(description="Masked")
    keys_stale: bool = Field(False, description=(
        "true: the registry's look-up keys were built under other rules; a caller may not be "
        "found by name and address until an administrator runs rouei people reindex"))
    keys_warning: str = Field("", description="The warning to show while keys_stale, in the "
                                              "request's language (Japanese by default)")


class ClaimIn(StrictSchema):
    ref: CleanText = text_field(40)
    birth_date: CleanText = text_field(40)
    name: CleanText = text_field(100)


class ClaimsIn(StrictSchema):
    claims: list[ClaimIn] = Field(..., max_length=1000)
    record: bool = Field(True, description="Record accepted claims (a second one is refused)")


class ClaimOut(Schema):
    claim: int
    ref: str
    result: str = Field(description="accepted or refused")
    code: str
    reason: str


@router.post("/incidents/{incident_id}/people/lookup",
             response={200: list[MatchOut], 400: ErrorOut, 429: ErrorOut, **WRITE_ERRORS}, throttle=_throttle(),
             summary="Look people up in the registry", openapi_extra={"responses": {200: {
                 "headers": {STALE_HEADER: {
                     "description": "true while the registry's look-up keys are stale (a "
                                    "caller may not be found: rouei people reindex)",
                     "schema": {"type": "string", "enum": ["true", "false"]}}}}}})
def lookup(request, response: HttpResponse, payload: LookupIn, incident_id: int = IncidentId):
    """The people matching what was given (an empty list when nobody matches)."""
    incident = access_incident(request.auth, incident_id, Need.VIEW_PERSONAL)
    matches, stale = actions.do_lookup_with_staleness(request.auth, incident,
                                                      **payload.model_dump())
    response[STALE_HEADER] = "true" if stale else "false"
    if stale:
        warning = str(STALE_KEYS_WARNING)
        for match in matches:
            match.update(keys_stale=True, keys_warning=warning)
    return matches


@router.post("/incidents/{incident_id}/people/claims/check",
             response={200: list[ClaimOut], 400: ErrorOut, 429: ErrorOut, **WRITE_ERRORS}, throttle=_throttle(),
             summary="Check compensation claims against the registry")
def check_claims(request, payload: ClaimsIn, incident_id: int = IncidentId):
    """Each claim accepted or refused with a reason."""
    incident = access_incident(request.auth, incident_id, Need.ANSWER_WINDOW)
    return actions.do_check_claims(request.auth, incident,
                                   [c.model_dump() for c in payload.claims],
                                   record=payload.record)
