"""The documents cards of the incident page: the mistake check (slot ``top``) and (slot
``body``) the PPC report to make next, how many of its fields are still missing and the nearest
deadline they threaten, and the public notice's last published version."""

from __future__ import annotations

from rouei.documents.choices import STAGE_LABELS
from rouei.documents.kinds import get_kind


def documents(request, incident) -> dict:
    kind = get_kind("ppc-report")
    stage = kind.default_stage(incident)
    report = kind.build(incident, stage)
    deadlines = sorted({m["deadline"] for m in report["missing"] if m["deadline"]})
    first = next((m for m in report["missing"] if m["deadline"] == deadlines[0]), None) \
        if deadlines else None
    last_notice = incident.notice_versions.order_by("-number").first()
    return {"stage": stage, "stage_label": STAGE_LABELS[stage],
            "missing": report["missing"], "first_deadline": first,
            "changes": report["other"]["changes_since_last_filed"],
            "last_notice": last_notice.content["notice"] if last_notice else None,
            "last_notice_at": last_notice.published_at if last_notice else None}


def checks(request, incident) -> dict | None:
    """The mistake-check card (slot ``top``): the warnings, most severe first, each with where
    to fix it; none: no card."""
    from rouei.core.access import Need, role_allows
    from rouei.documents.choices import SEVERITY_LABELS
    from rouei.documents.services import check
    from rouei.ui.lang import current_lang

    findings = check(incident)
    if not findings:
        return None
    english = current_lang() != "ja"
    for finding in findings:
        finding["text"] = finding["message_en"] if english else finding["message"]
        finding["severity_label"] = SEVERITY_LABELS[finding["severity"]]
    return {"findings": findings,
            "can_answer": role_allows(getattr(incident, "member_role", ""), Need.EDIT)}
