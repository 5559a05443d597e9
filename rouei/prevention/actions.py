"""The writes of the prevention plan, each atomic with one audit event: ``do_add_measure``,
``do_update_measure`` (guarded by the version the form was loaded at) and
``do_record_measure_progress``. A status change always leaves a dated entry in the measure's
history, whichever of them made it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rouei.core.access import Need, membership_model, require_role
from rouei.core.audit import record_event, state
from rouei.core.errors import ActionError, Conflict
from rouei.prevention.choices import MeasureGroup, MeasureStatus
from rouei.prevention.models import Measure, MeasureProgress

MEASURE_FIELDS = ("group", "title", "description", "owner", "due_date", "kpi", "status",
                  "done_on", "drop_reason", "version")
EDITABLE = ("group", "title", "description", "owner", "due_date", "kpi", "status", "done_on",
            "drop_reason")


class MeasureConflict(Conflict):
    """Someone saved the measure after this form was loaded."""

    def __init__(self, current: int, expected: int):
        super().__init__("version_conflict", _(
            "Someone else changed this measure first (version %(current)s; your form was "
            "loaded at version %(expected)s). Their version is shown; check it and save again.")
            % {"current": current, "expected": expected},
            current_version=current, expected_version=expected)
        self.current, self.expected = current, expected


def _check(incident, values: dict[str, Any]) -> None:
    """The rules every saved measure keeps (refused with the field to mend)."""
    if values["group"] not in MeasureGroup.values:
        raise ActionError("unknown_group", _("Choose a group."), field="group")
    if values["status"] not in MeasureStatus.values:
        raise ActionError("unknown_status", _("Choose a status."), field="status")
    if not (values["title"] or "").strip():
        raise ActionError("title_required", _("Name the measure."), field="title")
    owner = values["owner"]
    if owner is not None and not membership_model().objects.filter(
            incident=incident, user=owner).exists():
        raise ActionError("owner_not_member", _("The owner must be a member of the incident."),
                          field="owner")
    if values["status"] == MeasureStatus.DROPPED and not (values["drop_reason"] or "").strip():
        # A promise published and then quietly abandoned is the mistake the plan prevents.
        raise ActionError("drop_reason_required", _("Say why the measure is dropped."),
                          field="drop_reason")
    done_on = values["done_on"]
    if done_on is not None and done_on > timezone.localdate():
        raise ActionError("future_date", _("The day it was done cannot lie in the future."),
                          field="done_on")


def _normalise(values: dict[str, Any], previous_status: str | None) -> dict[str, Any]:
    values = dict(values)
    values["title"] = values["title"].strip()
    if values["status"] == MeasureStatus.DONE:
        values["done_on"] = values["done_on"] or timezone.localdate()
    else:
        values["done_on"] = None
    if values["status"] != MeasureStatus.DROPPED:
        values["drop_reason"] = ""
    return values


def _status_entry(measure: Measure, old: str, *, on: dt.date, note: str, actor) -> None:
    MeasureProgress.objects.create(measure=measure, on=on, note=note, from_status=old,
                                   to_status=measure.status, recorded_by=actor)


def do_add_measure(incident, *, group: str, title: str, actor, description: str = "",
                   owner=None, due_date: dt.date | None = None, kpi: str = "",
                   status: str = MeasureStatus.PLANNED, done_on: dt.date | None = None,
                   drop_reason: str = "") -> Measure:
    """Add a measure (roles with the EDIT need)."""
    require_role(actor, incident, Need.EDIT)
    values = _normalise({"group": group, "title": title, "description": description,
                         "owner": owner, "due_date": due_date, "kpi": kpi, "status": status,
                         "done_on": done_on, "drop_reason": drop_reason}, None)
    _check(incident, values)
    with transaction.atomic():
        measure = Measure.objects.create(incident=incident, created_by=actor, **values)
        record_event(actor=actor, action="measure.add", obj=measure, incident_id=incident.pk,
                     after=state(measure, MEASURE_FIELDS),
                     details={"group": measure.group, "status": measure.status})
    return measure


def do_update_measure(measure: Measure, *, expected_version: int, actor,
                      **changes) -> Measure:
    """Change a measure's particulars (EDIT). ``expected_version`` is the version the form was
    loaded at: a later save by someone else refuses this one (``MeasureConflict``). The same
    values again change and record nothing."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    require_role(actor, measure.incident, Need.EDIT)
    with transaction.atomic():
        measure = Measure.objects.select_for_update().select_related("incident").get(
            pk=measure.pk)
        if expected_version != measure.version:
            raise MeasureConflict(measure.version, expected_version)
        current = {name: getattr(measure, name) for name in EDITABLE}
        values = _normalise({**current, **changes}, measure.status)
        _check(measure.incident, values)
        changed = sorted(k for k in EDITABLE if values[k] != current[k])
        if not changed:
            return measure
        before = state(measure, MEASURE_FIELDS)
        old_status = measure.status
        for name in changed:
            setattr(measure, name, values[name])
        measure.version += 1
        measure.save()
        if "status" in changed:
            _status_entry(measure, old_status, on=measure.done_on or timezone.localdate(),
                          note=measure.drop_reason, actor=actor)
        record_event(actor=actor, action="measure.update", obj=measure,
                     incident_id=measure.incident_id, before=before,
                     after=state(measure, MEASURE_FIELDS),
                     details={"changed": changed, "version": measure.version})
    return measure


def do_record_measure_progress(measure: Measure, *, on: dt.date, note: str, actor,
                               status: str | None = None,
                               expected_version: int | None = None) -> MeasureProgress:
    """Record what was done for a measure on a day (EDIT), and optionally its new status
    (a status change is guarded like an edit when ``expected_version`` is given)."""
    require_role(actor, measure.incident, Need.EDIT)
    if on > timezone.localdate():
        raise ActionError("future_date", _("The date cannot lie in the future."), field="on")
    note = (note or "").strip()
    with transaction.atomic():
        measure = Measure.objects.select_for_update().select_related("incident").get(
            pk=measure.pk)
        if expected_version is not None and expected_version != measure.version:
            raise MeasureConflict(measure.version, expected_version)
        old = measure.status
        new = status or old
        if new == old and not note:
            raise ActionError("progress_empty", _("Say what was done, or change the status."),
                              field="note")
        if new != old:
            values = _normalise({**{k: getattr(measure, k) for k in EDITABLE}, "status": new,
                                 "done_on": on if new == MeasureStatus.DONE else None,
                                 "drop_reason": note if new == MeasureStatus.DROPPED else ""},
                                old)
            _check(measure.incident, values)
            for name in ("status", "done_on", "drop_reason"):
                setattr(measure, name, values[name])
            measure.version += 1
            measure.save()
        entry = MeasureProgress.objects.create(
            measure=measure, on=on, note=note, from_status=old if new != old else "",
            to_status=new if new != old else "", recorded_by=actor)
        record_event(actor=actor, action="measure.progress", obj=measure,
                     incident_id=measure.incident_id,
                     details={"entry_id": entry.pk, "on": on, "from": old, "to": new,
                              "version": measure.version})
    return entry


def release_measures(incident, user) -> list[int]:
    """The open measures ``user`` owned lose their owner (the member was removed). Their
    ``updated_at`` moves too: ``update()`` skips ``auto_now``, and the kept cards
    (``rouei.core.fingerprints``) see a change by it."""
    ids = list(Measure.objects.filter(incident=incident, owner=user)
               .values_list("pk", flat=True))
    Measure.objects.filter(pk__in=ids).update(owner=None, updated_at=timezone.now())
    return ids
