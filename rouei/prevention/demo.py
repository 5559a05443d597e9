"""The demo incident's prevention plan (workspace.yaml ``measures``), added through the audited
actions by the lead, who owns every measure."""

from __future__ import annotations

import datetime as dt

from rouei.prevention.actions import do_add_measure, do_record_measure_progress


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def add_demo_measures(incident, spec: dict, *, actor) -> None:
    for item in spec.get("measures", []):
        measure = do_add_measure(
            incident, group=item["group"], title=item["title"], kpi=item.get("kpi", ""),
            owner=actor, due_date=_day(item.get("due")), status=item["status"],
            done_on=_day(item.get("done_on")), actor=actor)
        for entry in item.get("progress", []):
            do_record_measure_progress(measure, on=_day(entry["day"]), note=entry["note"],
                                       actor=actor)
