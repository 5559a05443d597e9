"""The one write of this app: ``do_update_unit_prices`` (atomic, one audit event)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from rouei.core.access import Need, require_role
from rouei.core.audit import record_event
from rouei.core.errors import Conflict
from rouei.domain.damage import ResponsePrices
from rouei.estimates.models import UnitPrices
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
