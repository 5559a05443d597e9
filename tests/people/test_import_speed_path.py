"""The import's fast path: rows prepared by a pool of worker processes, records sealed with
AES-GCM, batches that ask the database only for keys the import may have written."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from rouei.core.crypto import SEALED_PREFIX
from rouei.core.errors import ActionError
from rouei.people import actions, imports, preparing
from rouei.people.models import Person

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


def test_no_pool_unless_asked(monkeypatch):
    # Opt-in: the pool forks a running worker process (README, ROUEI_IMPORT_WORKERS).
    monkeypatch.delenv(preparing.WORKERS_ENV, raising=False)

    class Big:
        size = 1 << 30

    assert preparing.workers(Big()) == 0
