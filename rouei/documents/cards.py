"""The documents card of the incident page (slot ``body``): the PPC report to make next, how
many of its fields are still missing and the nearest deadline they threaten; the public
notice's last published version."""

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
