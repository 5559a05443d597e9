"""The import's fast path: rows prepared by a pool of worker processes, records sealed with
AES-GCM, batches that ask the database only for keys the import may have written."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle

import pytest
from django.db import connection

from rouei.core.crypto import SEALED_PREFIX
from rouei.core.errors import ActionError
from rouei.incidents import actions as incident_actions
from rouei.people import actions, imports, preparing
from rouei.people.importing import open_source
from rouei.people.models import Person, PersonKey

pytestmark = pytest.mark.django_db

# Twelve people, then the first of them again typed differently (full-width space and phone
# digits, upper-case e-mail), then a row without a usable phone.
PEOPLE = [f"利用者{n:02d} 太郎,,,,090-0000-{n:04d},u{n}@example.jp,1980-01-{n:02d},"
          for n in range(1, 13)]
AGAIN = "利用者01　太郎,,,,０９０－００００－０００１,U1@EXAMPLE.JP,1980-01-01,"
BAD = "壊れた 行,,,,電話なし,,,"


@pytest.fixture
def through_the_pool(monkeypatch):
    """Every file goes through two worker processes, in chunks of five rows."""
    monkeypatch.setattr(preparing, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(preparing, "CHUNK_ROWS", 5)
    monkeypatch.setenv(preparing.WORKERS_ENV, "2")


def test_the_pool_imports_every_person(incident, user, people_csv, through_the_pool):
    result = actions.do_import_people(user, incident, people_csv(rows=[*PEOPLE, AGAIN]))
    assert result.imported == 12


def test_the_pool_merges_a_re_registration_in_a_later_chunk(incident, user, people_csv,
                                                            through_the_pool):
    result = actions.do_import_people(user, incident, people_csv(rows=[*PEOPLE, AGAIN]))
    assert result.merged == 1


def test_the_pool_rejects_a_bad_row_by_its_number(incident, user, people_csv,
                                                  through_the_pool):
    result = actions.do_import_people(user, incident, people_csv(rows=[*PEOPLE, BAD]),
                                      on_error="skip")
    assert [r["row"] for r in result.rejected] == [14]  # the header is row 1


def test_the_pool_stops_at_a_bad_row_and_writes_nothing(incident, user, people_csv,
                                                        through_the_pool):
    with pytest.raises(ActionError):
        actions.do_import_people(user, incident, people_csv(rows=[*PEOPLE, BAD]))
    assert Person.objects.filter(incident=incident).count() == 0


def test_a_re_registration_in_a_later_batch_is_merged(incident, user, people_csv, monkeypatch):
    # Batches of five: the twin is found through the import's filter and the database.
    monkeypatch.setattr(imports, "BATCH_ROWS", 5)
    result = actions.do_import_people(user, incident, people_csv(rows=[*PEOPLE, AGAIN]))
    assert result.people == 12


def test_an_imported_record_is_stored_as_a_sealed_token(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM people_person")
        stored = [row[0] for row in cursor.fetchall()]
    assert [t[:len(SEALED_PREFIX)] for t in stored] == [SEALED_PREFIX] * 3


def test_a_sealed_record_reads_back(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv())
    names = sorted(p.record().name for p in Person.objects.filter(incident=incident))
    assert names == ["佐藤 花子", "山田 太郎", "鈴木 一郎"]


def test_the_filter_holds_what_was_added():
    seen = preparing.SeenDigests.for_size(0)
    added = [os.urandom(16) for _ in range(1000)]
    seen.add(added)
    assert all(seen.maybe_held(added))


def test_the_filter_rarely_holds_what_was_not_added():
    seen = preparing.SeenDigests.for_size(0)
    seen.add([os.urandom(16) for _ in range(1000)])
    assert sum(seen.maybe_held([os.urandom(16) for _ in range(1000)])) < 10


class _Big:
    size = 1 << 30


def test_a_large_file_is_prepared_without_a_pool_by_default(monkeypatch):
    monkeypatch.delenv(preparing.WORKERS_ENV, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert preparing.workers(_Big()) == 0


def test_the_pool_is_had_by_asking(monkeypatch):
    monkeypatch.setenv(preparing.WORKERS_ENV, "2")
    assert preparing.workers(_Big()) == 2


def test_the_pool_can_be_turned_off(monkeypatch):
    monkeypatch.setenv(preparing.WORKERS_ENV, "0")
    assert preparing.workers(_Big()) == 0


def test_a_small_file_is_prepared_in_this_process(monkeypatch):
    monkeypatch.setenv(preparing.WORKERS_ENV, "2")

    class Small:
        size = preparing.PARALLEL_MIN_BYTES - 1

    assert preparing.workers(Small()) == 0


def _registry(incident) -> list[tuple]:
    """Each person of ``incident`` as the registry holds it, without the reference number
    (drawn at random per import): record, items, confirmed, and the digests of its keys."""
    people = []
    for person in Person.objects.filter(incident=incident):
        record = dataclasses.asdict(dataclasses.replace(person.record(), ref=""))
        keys = sorted((k.kind, bytes(k.digest)) for k in PersonKey.objects.filter(person=person)
                      if k.kind != "ref")
        people.append((json.dumps(record, sort_keys=True), tuple(person.items),
                       person.confirmed, tuple(keys)))
    return sorted(people)


def test_the_pool_writes_the_registry_one_process_writes(user, people_csv, monkeypatch):
    rows = [*PEOPLE, AGAIN, BAD]
    alone = incident_actions.do_create_incident(title="一つのプロセスで", facts={}, actor=user)
    actions.do_import_people(user, alone, people_csv(rows=rows), on_error="skip")
    pooled = incident_actions.do_create_incident(title="ワーカーで", facts={}, actor=user)
    monkeypatch.setattr(preparing, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(preparing, "CHUNK_ROWS", 5)
    monkeypatch.setenv(preparing.WORKERS_ENV, "2")
    actions.do_import_people(user, pooled, people_csv(rows=rows), on_error="skip")
    assert _registry(pooled) == _registry(alone)


def test_a_prepared_row_crosses_to_the_writer_unchanged(people_csv):
    source = open_source(people_csv())
    options = preparing._Options(source.columns, True, "")
    prepared = preparing._prepare(options, [(n, cells) for n, cells, _ in source.rows()])
    again = pickle.loads(pickle.dumps(prepared))
    assert [(n, k.row, k.keys, k.sealed, k.merge_flat) for n, k in again] == \
        [(n, k.row, k.keys, k.sealed, k.merge_flat) for n, k in prepared]
