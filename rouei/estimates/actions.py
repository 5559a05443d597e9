"""The writes of this app, each atomic with one audit event: ``do_update_unit_prices``, and
``do_add_spend`` / ``do_update_spend`` (the money actually spent)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from rouei.core.access import Need, require_role
from rouei.core.audit import record_event, state
from rouei.core.errors import Conflict
from rouei.core.versioning import save_if_current
from rouei.domain.damage import ResponsePrices
from rouei.estimates.models import Spend, UnitPrices
from rouei.estimates.services import overrides_of
from rouei.incidents.models import Incident


class UnitPricesConflict(Conflict):
    """The form started from an older version than the one saved (someone saved first)."""

    def __init__(self, current: int, expected: int):
        super().__init__("version_conflict", _(
            "Someone else changed the unit prices first (version %(current)s; you started "
            "from version %(expected)s). Their prices are shown; check them and save again.")
            % {"current": current, "expected": expected},
            current_version=current, expected_version=expected)
        self.current, self.expected = current, expected


def do_update_unit_prices(incident, prices: ResponsePrices, *, actor,
                          expected_version: int | None = None) -> UnitPrices:
    """Set the incident's unit prices (roles with the EDIT need). Only the prices that differ
    from the defaults are stored; the same prices again change and record nothing. The audit
    event carries digests of the prices before and after and the names of the changed keys."""
    require_role(actor, incident, Need.EDIT)
    with transaction.atomic():
        # The incident row is the lock, so two first saves cannot both create the prices row.
        Incident.objects.select_for_update().only("pk").get(pk=incident.pk)
        row = (UnitPrices.objects.filter(incident=incident).first()
               or UnitPrices(incident=incident, overrides={}, version=0))
        if expected_version is not None and expected_version != row.version:
            raise UnitPricesConflict(row.version, expected_version)
        before = dict(row.overrides)
        after = overrides_of(prices)
        if after == before:
            return row
        row.overrides = after
        row.version += 1
        row.save()
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        record_event(actor=actor, action="unit_prices.update", obj=row,
                     incident_id=incident.pk, before=before, after=after,
                     details={"changed": changed, "version": row.version})
    return row


# --- the spend record ---------------------------------------------------------------------------

SPEND_FIELDS = ("spent_on", "category", "amount", "note", "version")
SPEND_EDITABLE = ("spent_on", "category", "amount", "note")
MAX_SPEND = 10**12  # yen: a bound for a typing slip, far above any response
NOTE_MAX = 1000


class SpendConflict(Conflict):
    """Someone saved the spend record after this form was loaded."""

    def __init__(self, current: int, expected: int):
        super().__init__("version_conflict", _(
            "Someone else changed this spend record first (version %(current)s; your form "
            "was loaded at version %(expected)s). Their record is shown; check it and save "
            "again.") % {"current": current, "expected": expected},
            current_version=current, expected_version=expected)


def _spend_values(values: dict) -> dict:
    """The values a spend record keeps, checked (refused with the field to mend)."""
    import datetime as dt

    from django.utils import timezone

    from rouei.core.errors import ActionError
    from rouei.estimates.choices import SPEND_CATEGORIES

    values = {**values, "note": (values.get("note") or "").strip()}
    if values["category"] not in SPEND_CATEGORIES:
        raise ActionError("unknown_category", _("Choose a category."), field="category")
    amount = values["amount"]
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_SPEND:
        raise ActionError("bad_amount", _("Enter the amount in whole yen (more than 0)."),
                          field="amount")
    if not isinstance(values["spent_on"], dt.date) \
            or values["spent_on"] > timezone.localdate():
        raise ActionError("future_date", _("The day of the spend cannot lie in the future."),
                          field="spent_on")
    if len(values["note"]) > NOTE_MAX:
        raise ActionError("note_too_long", _("The note is too long (at most %(n)s "
                                             "characters).") % {"n": NOTE_MAX}, field="note")
    return values


def do_add_spend(incident, *, spent_on, category: str, amount: int, note: str = "",
                 actor) -> Spend:
    """Record money spent on the response (roles with the EDIT need): one ``spend.add`` event
    (the values as digests; the note stays encrypted in its row)."""
    require_role(actor, incident, Need.EDIT)
    values = _spend_values({"spent_on": spent_on, "category": category, "amount": amount,
                            "note": note})
    with transaction.atomic():
        row = Spend.objects.create(incident=incident, recorded_by=actor, **values)
        record_event(actor=actor, action="spend.add", obj=row, incident_id=incident.pk,
                     after=state(row, SPEND_FIELDS),
                     details={"category": row.category, "amount": row.amount})
    return row


def do_update_spend(row: Spend, *, expected_version: int, actor, **changes) -> Spend:
    """Correct a spend record (EDIT), guarded by the version the form was loaded at. The same
    values again change and record nothing."""
    unknown = set(changes) - set(SPEND_EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    require_role(actor, row.incident, Need.EDIT)
    with transaction.atomic():
        row = Spend.objects.select_for_update().select_related("incident").get(pk=row.pk)
        current = {name: getattr(row, name) for name in SPEND_EDITABLE}
        before = state(row, SPEND_FIELDS)
        changed = save_if_current(row, _spend_values({**current, **changes}),
                                  expected_version=expected_version,
                                  stale=lambda: SpendConflict(row.version, expected_version))
        if not changed:
            return row
        record_event(actor=actor, action="spend.update", obj=row, incident_id=row.incident_id,
                     before=before, after=state(row, SPEND_FIELDS),
                     details={"changed": changed, "version": row.version})
    return row
