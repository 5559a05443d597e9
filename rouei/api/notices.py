"""The published versions of the public notice (公表: 第一報, 第二報, … 最終報) under
``/api/v1/incidents/{id}/documents/notices``: the list and one version with its frozen
content. Read-only: publishing is done on the incident's notice page (an audited
``do_publish_notice``). Reads go through ``access_incident`` (a non-member gets 404).

``content_json`` is the text exactly as frozen: ``sha256`` is the SHA-256 of its UTF-8 bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Field, Path, Router, Schema

from rouei.api.common import MAX_ID
from rouei.api.incidents import READ_ERRORS
from rouei.core.access import Need, access_incident
from rouei.documents.models import NoticeVersion

router = Router(tags=["documents"])

IncidentId = Path(..., ge=1, le=MAX_ID, description="The incident's id")
Number = Path(..., ge=1, le=10_000, description="The version's number (1 = 第一報)")


class NoticeVersionOut(Schema):
    number: int = Field(description="1 = 第一報, 2 = 第二報 …")
    label: str = Field(description="第一報, 第二報 …; 「（最終報）」 for the final one")
    is_final: bool
    published_at: dt.datetime
    published_by: str = Field(description="The member who published it (username)")
    sha256: str = Field(description="SHA-256 of content_json's UTF-8 bytes")


class NoticeVersionDetailOut(NoticeVersionOut):
    content: dict[str, Any] = Field(description="The notice as published: notice, sections, "
                                                "figures, missing")
    content_json: str = Field(description="The frozen text (canonical JSON) the SHA-256 is of")


def _out(version: NoticeVersion, *, detail: bool = False) -> dict:
    content = version.content
    out = {"number": version.number, "label": content["notice"]["version_label"],
           "is_final": version.is_final, "published_at": version.published_at,
           "published_by": version.published_by.get_username(), "sha256": version.sha256}
    if detail:
        out.update(content=content, content_json=version.content_json)
    return out


@router.get("/incidents/{incident_id}/documents/notices",
            response={200: list[NoticeVersionOut], **READ_ERRORS},
            summary="List the published versions of the public notice")
def list_notices(request, incident_id: int = IncidentId):
    """Every published version, oldest first (an empty list before the first publication)."""
    incident = access_incident(request.auth, incident_id, Need.VIEW)
    return [_out(v) for v in NoticeVersion.objects.filter(incident=incident)
            .select_related("published_by").order_by("number")]


@router.get("/incidents/{incident_id}/documents/notices/{number}",
            response={200: NoticeVersionDetailOut, **READ_ERRORS},
            summary="One published version of the public notice")
def get_notice(request, incident_id: int = IncidentId, number: int = Number):
    """The version as frozen when it was published, with its SHA-256."""
    incident = access_incident(request.auth, incident_id, Need.VIEW)
    version = NoticeVersion.objects.filter(incident=incident, number=number) \
        .select_related("published_by").first()
    if version is None:
        raise Http404
    return _out(version, detail=True)
