"""The documents card of the incident page (slot ``body``): the PPC report to make next, how
many of its fields are still missing and the nearest deadline they threaten."""

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
    return {"stage": stage, "stage_label": STAGE_LABELS[stage],
            "missing": report["missing"], "first_deadline": first,
            "changes": report["other"]["changes_since_last_filed"]}
