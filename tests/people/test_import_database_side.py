"""What an import costs PostgreSQL beside its rows (issue 12, docs/benchmarks.md, "Session 15:
the import's PostgreSQL side"): the ids of a batch's people drawn without a catalogue look-up
per id, and the people's incident not checked again row by row at commit (migration 0016).
The registry and its look-ups stay what they were."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from rouei.incidents.models import Incident
from rouei.people import actions, bulk
from rouei.people.models import Person

postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                     reason="PostgreSQL's sequence and constraints")

BEFORE = [("people", "0015_record_changes")]


def _incident_foreign_keys() -> int:
    """Foreign keys PostgreSQL holds on the person table's incident column."""
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid "
            "AND a.attnum = ANY (c.conkey) WHERE c.conrelid = %s::regclass AND c.contype = 'f' "
            "AND a.attname = 'incident_id'", [table])
        return cursor.fetchone()[0]


def _migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


@postgresql_only
@pytest.mark.django_db
def test_an_imports_people_are_not_checked_one_by_one_at_commit():
    assert _incident_foreign_keys() == 0


@pytest.mark.django_db
def test_deleting_an_incident_still_deletes_its_people(user, incident, people_csv):
    actions.do_import_people(user, incident, people_csv())
    Incident.objects.filter(pk=incident.pk).delete()
    assert not Person.objects.filter(incident_id=incident.pk).exists()


@postgresql_only
@pytest.mark.django_db
def test_reserving_ids_looks_the_sequence_up_once_not_per_id():
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        bulk.reserve_ids(3)
        bulk.reserve_ids(3)
    per_id = [q["sql"] for q in queries.captured_queries
              if "generate_series" in q["sql"] and "pg_get_serial_sequence" in q["sql"]]
    assert per_id == []


@postgresql_only
@pytest.mark.django_db
def test_reserved_ids_are_consecutive_in_the_order_drawn():
    with transaction.atomic():
        ids = bulk.reserve_ids(5)
    assert ids == list(range(ids[0], ids[0] + 5))


@postgresql_only
@pytest.mark.django_db
def test_reserved_ids_are_never_given_to_a_person_written_later(user, incident, people_csv):
    with transaction.atomic():
        ids = bulk.reserve_ids(5)
    actions.do_import_people(user, incident, people_csv())
    later = set(Person.objects.filter(incident=incident).values_list("id", flat=True))
    assert later.isdisjoint(ids)


@pytest.mark.django_db
def test_reserving_no_ids_gives_none():
    with transaction.atomic():
        assert bulk.reserve_ids(0) == []


@pytest.fixture
def migrated_back_afterwards():
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_undoing_the_migration_checks_the_incident_again(migrated_back_afterwards):
    _migrate(BEFORE)
    assert _incident_foreign_keys() == 1


@pytest.mark.django_db(transaction=True)
def test_the_window_finds_a_person_of_a_registry_migrated_both_ways(
        user, incident, people_csv, migrated_back_afterwards):
    actions.do_import_people(user, incident, people_csv())
    before = [m["ref"] for m in actions.do_lookup(user, incident, phone="090-1234-5678")]
    _migrate(BEFORE)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    after = [m["ref"] for m in actions.do_lookup(user, incident, phone="090-1234-5678")]
    assert after == before and len(after) == 1
