"""``rouei.core.rows``: the per-request reads in SQL written once give what the ORM gives."""

from __future__ import annotations

import pytest

from rouei.core.access import access_incident
from rouei.core.ratelimit import CounterFileCache
from rouei.incidents.models import Incident, Membership

pytestmark = pytest.mark.django_db


def _orm_read(user, incident):
    return Membership.objects.select_related("incident").get(user=user, incident=incident)


@pytest.fixture
def membership(django_user_model):
    from rouei.incidents import actions

    lead = django_user_model.objects.create_user("lead-rows", password=None)
    incident = actions.do_create_incident(title="顧客情報の漏えい", facts={}, actor=lead)
    return Membership.objects.get(user=lead, incident=incident)


def test_access_incident_gives_every_field_as_the_orm_reads_it(membership):
    incident = access_incident(membership.user, membership.incident_id)
    expected = _orm_read(membership.user, membership.incident_id).incident
    fields = [f.attname for f in Incident._meta.concrete_fields]
    assert [getattr(incident, f) for f in fields] == [getattr(expected, f) for f in fields]


def test_access_incident_carries_the_members_role(membership):
    assert access_incident(membership.user, membership.incident_id).member_role == membership.role


def test_access_incident_gives_an_instance_read_from_the_database(membership):
    incident = access_incident(membership.user, membership.incident_id)
    assert not incident._state.adding


def test_the_counter_cache_lists_its_directory_once_in_many_sets(tmp_path, monkeypatch):
    cache = CounterFileCache(str(tmp_path), {})
    listings = []
    original = CounterFileCache._list_cache_files

    def counting(self):
        listings.append(1)
        return original(self)

    monkeypatch.setattr(CounterFileCache, "_list_cache_files", counting)
    for n in range(CounterFileCache.CULL_EVERY):
        cache.set(f"k{n}", n)
    assert len(listings) == 1


def test_the_counter_cache_still_culls_past_its_entries(tmp_path):
    cache = CounterFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    for n in range(2 * CounterFileCache.CULL_EVERY + 1):
        cache.set(f"k{n}", n)
    assert len(list(tmp_path.glob("*.djcache"))) < 2 * CounterFileCache.CULL_EVERY + 1
