"""The documents endpoints, under ``/api/v1/incidents/{id}/documents/…``:

- ``GET …/documents/``: the document kinds of the incident, with their formats and stages;
- ``GET …/documents/check``: the mistake-check warnings (as ``rouei documents check --json``);
- ``GET …/documents/{kind}?stage=&format=json|docx|pdf``: a document rendered; JSON as the
  body, Word and PDF as a file. A render takes the text out of rouei, so it needs the roles that
  file and publish (lead, legal, PR) and is one audited ``document.render`` event, as a download
  from the page is.

A thin layer: reads go through ``access_incident`` (non-members get 404), renders through the
documents app's audited ``do_render``.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Field, Path, Query, Router, Schema

from rouei.api.common import MAX_ID, ErrorOut
from rouei.api.incidents import READ_ERRORS, WRITE_ERRORS
from rouei.core.access import Need, access_incident
from rouei.documents import actions, services
from rouei.documents.choices import STAGE_LABELS
from rouei.documents.kinds import all_kinds
from rouei.ui.lang import current_lang

router = Router(tags=["documents"])

IncidentId = Path(..., ge=1, le=MAX_ID, description="The incident's id")
KindSlug = Path(..., max_length=40, pattern=r"^[a-z][a-z-]*$",
                description="The document kind: ppc-report, controller-notice, "
                            "my-number-report, public-notice, board-report, prevention-plan")
RenderParams = Query(...)


class StageOut(Schema):
    slug: str
    label: str


class KindOut(Schema):
    slug: str = Field(description="As the URL and `rouei documents render` write it")
    label: str
    formats: list[str]
    stages: list[StageOut] = Field(description="Empty for a kind without stages")
    default_stage: str | None = Field(description="The stage to make next (ppc-report: 速報 "
                                                  "until one is filed, then 確報, then 追完)")
    offered: bool = Field(True, description="False where the report is not owed for this "
                                            "incident (my-number-report without the My Number "
                                            "Act duty): a render is refused with 409")
    not_offered_why: str | None = Field(None, description="Why not (Japanese), when not "
                                                          "offered")


class WarningOut(Schema):
    code: str = Field(description="Stable: check.<rule>")
    severity: Literal["high", "medium", "low"]
    message: str = Field(description="Japanese")
    message_en: str
    title: str
    title_en: str
    fix_url: str | None = Field(description="The page where it is fixed")
    details: dict[str, Any]


class RenderQuery(Schema):
    stage: Literal["preliminary", "final", "supplement"] | None = Field(
        None, description="Default: the stage to make next")
    format: Literal["json", "docx", "pdf"] = "json"


@router.get("/incidents/{incident_id}/documents/", response={200: list[KindOut],
                                                             **READ_ERRORS},
            summary="List the document kinds")
def list_kinds(request, incident_id: int = IncidentId):
    """Every document kind rouei drafts for the incident, with its formats and stages."""
    incident = access_incident(request.auth, incident_id, Need.VIEW)
    lang = current_lang()
    out = []
    for k in all_kinds():
        answer = k.offered_for(incident)
        out.append({"slug": k.slug, "label": k.label_in(lang), "formats": list(k.formats),
                    "stages": [{"slug": s, "label": str(STAGE_LABELS.get(s, s))}
                               for s in k.stages],
                    "default_stage": k.default_stage(incident) if k.stages else None,
                    "offered": answer is None, "not_offered_why": answer.why if answer else None})
    return out


@router.get("/incidents/{incident_id}/documents/check",
            response={200: list[WarningOut], **READ_ERRORS},
            summary="The mistake-check warnings")
def check(request, incident_id: int = IncidentId):
    """Warnings before a classic mistake (silence after the day the company knew, a deadline
    near with the report incomplete, numbers changed since the report filed …), the most severe
    first."""
    incident = access_incident(request.auth, incident_id, Need.VIEW)
    return services.check(incident)


@router.get("/incidents/{incident_id}/documents/{kind}",
            response={200: dict[str, Any], 400: ErrorOut, 409: ErrorOut, 503: ErrorOut,
                      **WRITE_ERRORS},
            summary="Render a document")
def render(request, kind: str = KindSlug, incident_id: int = IncidentId,
           query: RenderQuery = RenderParams):
    """``format=json``: the structured export as the body (for ``ppc-report`` the keys
    ``overview``, ``items``, ``people``, ``cause``, ``secondary_damage``,
    ``response_to_individuals``, ``publication``, ``prevention``, ``other``, ``missing``).
    ``docx`` and ``pdf``: the file (``Content-Disposition: attachment``). Lead, legal and PR
    only; each render is audited. An unknown kind is 404; a kind not owed for the incident
    (``my-number-report`` without the My Number Act duty) 409 ``kind_not_applicable``; a
    document template the administrator must mend 503 ``document_template`` (naming the file
    and line)."""
    incident = access_incident(request.auth, incident_id, Need.VIEW)
    rendered = actions.do_render(incident, kind, stage=query.stage, fmt=query.format,
                                 actor=request.auth, via="api")
    if query.format == "json":
        return json.loads(rendered.content)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    response["Cache-Control"] = "no-store, private"
    return response
