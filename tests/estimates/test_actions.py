"""``do_update_unit_prices``: editors only, atomic, exactly one audit event per change."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied

from rouei.core.access import RoleForbidden
from rouei.core.models import AuditEvent
from rouei.domain.damage import ResponsePrices
from rouei.estimates.actions import UnitPricesConflict, do_update_unit_prices
from rouei.estimates.models import UnitPrices

pytestmark = pytest.mark.django_db

QUOTE = dataclasses.replace(ResponsePrices(), forensic_investigation=5_000_000)


def _events():
    return AuditEvent.objects.filter(action="unit_prices.update")


def test_update_unit_prices_changed_price_is_stored(incident, user):
    do_update_unit_prices(incident, QUOTE, actor=user)
    assert UnitPrices.objects.get(incident=incident).prices().forensic_investigation == 5_000_000


def test_update_unit_prices_stores_only_prices_that_differ_from_defaults(incident, user):
    row = do_update_unit_prices(incident, QUOTE, actor=user)
    assert row.overrides == {"forensic_investigation": 5_000_000}


def test_update_unit_prices_change_is_one_audit_event_with_digests(incident, user):
    do_update_unit_prices(incident, QUOTE, actor=user)
    [event] = _events()
    assert (event.incident_id, event.actor_id) == (incident.pk, user.pk)
    assert event.before_digest != event.after_digest
    assert event.details["changed"] == ["forensic_investigation"]


def test_update_unit_prices_same_prices_again_records_nothing(incident, user):
    do_update_unit_prices(incident, QUOTE, actor=user)
    do_update_unit_prices(incident, QUOTE, actor=user)
    assert _events().count() == 1


def test_update_unit_prices_defaults_on_a_new_incident_record_nothing(incident, user):
    do_update_unit_prices(incident, ResponsePrices(), actor=user)
    assert not _events().exists()
    assert not UnitPrices.objects.filter(incident=incident).exists()


def test_update_unit_prices_back_to_defaults_clears_the_overrides(incident, user):
    do_update_unit_prices(incident, QUOTE, actor=user)
    row = do_update_unit_prices(incident, ResponsePrices(), actor=user)
    assert row.overrides == {}
    assert _events().count() == 2


def test_update_unit_prices_viewer_is_refused_and_nothing_recorded(incident, member):
    viewer = member("viewer")
    with pytest.raises(RoleForbidden):
        do_update_unit_prices(incident, QUOTE, actor=viewer)
    assert not _events().exists()


def test_update_unit_prices_editor_role_other_than_lead_may_change(incident, member):
    legal = member("legal")
    do_update_unit_prices(incident, QUOTE, actor=legal)
    assert _events().get().actor_id == legal.pk


def test_update_unit_prices_non_member_is_refused(incident, make_user):
    with pytest.raises(PermissionDenied):
        do_update_unit_prices(incident, QUOTE, actor=make_user("outsider"))


def test_update_unit_prices_stale_version_is_a_conflict_and_keeps_the_saved_prices(
        incident, user, member):
    do_update_unit_prices(incident, QUOTE, actor=user, expected_version=0)
    other = dataclasses.replace(ResponsePrices(), legal_counsel=1)
    with pytest.raises(UnitPricesConflict) as conflict:
        do_update_unit_prices(incident, other, actor=member("legal"), expected_version=0)
    assert conflict.value.current == 1
    assert UnitPrices.objects.get(incident=incident).overrides == {
        "forensic_investigation": 5_000_000}
