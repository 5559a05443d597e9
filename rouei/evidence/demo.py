"""The demo incident's evidence and notes (`rouei demo`), from ``evidence:`` and ``notes:`` of
rouei/demo/workspace.yaml, registered through the audited actions like any other."""

from __future__ import annotations

import datetime as dt
import io

from rouei.evidence import actions


def add_demo_evidence(incident, spec: dict, *, actor) -> None:
    for entry in spec.get("evidence") or []:
        actions.add_evidence_from_stream(
            incident, io.BytesIO(entry["content"].encode("utf-8")),
            original_name=entry["name"], description=entry["description"],
            collected_from=entry["collected_from"],
            collected_at=dt.datetime.fromisoformat(entry["collected_at"]),
            collected_by_user=actor, collected_by_name=entry.get("collected_by", ""),
            purpose=entry.get("purpose", ""), actor=actor)
    for body in spec.get("notes") or []:
        actions.do_add_note(incident, body=body, actor=actor)
