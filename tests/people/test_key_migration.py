"""Migration 0011: the blind indexes move to the narrow key table (and back when undone);
every key of an existing registry is kept and the window still finds its people. The table
has no database foreign keys: a re-index and a deletion keep it right through Django.
Migration 0013: the index of ``person_id`` becomes a BRIN on PostgreSQL (a B-tree on SQLite):
an existing registry keeps its keys, and a deletion still finds a person's keys."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rouei.people import actions
from rouei.people.models import PersonKey

BEFORE = [("people", "0010_name_place_key")]


def _migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def _keys(table: str) -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT person_id, incident_id, kind, digest FROM "{table}"')
        return {(p, i, k, bytes(d)) for p, i, k, d in cursor.fetchall()}


@pytest.fixture
def registry_keys(user, incident, people_csv):
    actions.do_import_people(user, incident, people_csv())
    keys = _keys(PersonKey._meta.db_table)
    yield keys
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_undoing_the_migration_keeps_every_key(registry_keys):
    _migrate(BEFORE)
    assert _keys("people_personkey") == registry_keys


@pytest.mark.django_db(transaction=True)
def test_migrating_an_old_registry_keeps_every_key(registry_keys):
    _migrate(BEFORE)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert _keys(PersonKey._meta.db_table) == registry_keys


@pytest.mark.django_db(transaction=True)
def test_the_window_finds_a_person_of_a_migrated_registry(user, incident, registry_keys):
    before = [m["ref"] for m in actions.do_lookup(user, incident, phone="090-1234-5678")]
    _migrate(BEFORE)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    after = [m["ref"] for m in actions.do_lookup(user, incident, phone="090-1234-5678")]
    assert after == before and len(after) == 1


def _key(byte: int) -> str:
    import base64

    return base64.urlsafe_b64encode(bytes([byte]) * 32).decode()


@pytest.mark.django_db
def test_a_reindexed_registry_is_found_under_the_new_key_alone(settings, user, incident,
                                                               people_csv):
    from rouei.people.maintenance import reindex_all

    old = settings.ROUEI_INDEX_KEYS
    actions.do_import_people(user, incident, people_csv())
    settings.ROUEI_INDEX_KEYS = [_key(7), *old]
    reindex_all()
    settings.ROUEI_INDEX_KEYS = [_key(7)]
    assert len(actions.do_lookup(user, incident, phone="090-1234-5678")) == 1


@pytest.mark.django_db
def test_deleting_a_person_deletes_their_keys(user, incident, people_csv):
    from rouei.people.models import Person

    actions.do_import_people(user, incident, people_csv())
    person = Person.objects.filter(incident=incident).first()
    pk = person.pk
    person.delete()
    assert not PersonKey.objects.filter(person_id=pk).exists()


BEFORE_BRIN = [("people", "0012_key_rules_version")]


@pytest.mark.django_db(transaction=True)
def test_undoing_the_person_index_migration_keeps_every_key(registry_keys):
    _migrate(BEFORE_BRIN)
    assert _keys("people_personkey") == registry_keys


@pytest.mark.django_db(transaction=True)
def test_a_registry_migrated_to_the_person_index_is_found_by_the_window(user, incident,
                                                                         registry_keys):
    before = [m["ref"] for m in actions.do_lookup(user, incident, phone="090-1234-5678")]
    _migrate(BEFORE_BRIN)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    after = [m["ref"] for m in actions.do_lookup(user, incident, phone="090-1234-5678")]
    assert after == before and len(after) == 1


@pytest.mark.django_db
def test_deleting_one_of_many_people_leaves_the_others_keys(user, incident, people_csv):
    from rouei.people.models import Person

    actions.do_import_people(user, incident, people_csv())
    first, *others = Person.objects.filter(incident=incident).order_by("pk")
    kept = PersonKey.objects.filter(person__in=others).count()
    first.delete()
    assert PersonKey.objects.count() == kept
