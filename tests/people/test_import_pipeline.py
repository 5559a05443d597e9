"""The import's pipeline: rows prepared a batch ahead by a thread of their own while the batch
before is written, the batch's merges decided on arrays, Python's collector paused meanwhile.
Still one transaction: a failure anywhere, or a bad row in a later batch, leaves nothing."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from rouei.core.errors import ActionError
from rouei.incidents import actions as incident_actions
from rouei.people import actions, imports, preparing
from rouei.people.models import Person, PersonKey

pytestmark = pytest.mark.django_db

PEOPLE = [f"利用者{n:02d} 太郎,,,,090-0000-{n:04d},u{n}@example.jp,1980-01-{n:02d},"
          for n in range(1, 13)]
# The first person typed differently (full-width space and digits, upper-case e-mail).
AGAIN = "利用者01　太郎,,,,０９０－００００－０００１,U1@EXAMPLE.JP,1980-01-01,"
BAD = "壊れた 行,,,,電話なし,,,"


@pytest.fixture
def small_batches(monkeypatch):
    """Batches and chunks of five rows: a twelve-row file is three batches."""
    monkeypatch.setattr(imports, "BATCH_ROWS", 5)
    monkeypatch.setattr(preparing, "CHUNK_ROWS", 5)


def _preparing_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "rouei-import-prepare"]


def test_the_next_batch_is_prepared_while_one_is_written(incident, user, people_csv,
                                                         small_batches, monkeypatch):
    events: list[str] = []
    real_write, real_prepare = imports._write_batch, preparing._prepare

    def slow_write(*args, **kwargs):
        events.append("write")
        time.sleep(0.3)  # PostgreSQL busy with the batch
        real_write(*args, **kwargs)
        events.append("written")

    def prepare(*args, **kwargs):
        events.append("prepare")
        return real_prepare(*args, **kwargs)

    monkeypatch.setattr(imports, "_write_batch", slow_write)
    monkeypatch.setattr(preparing, "_prepare", prepare)
    actions.do_import_people(user, incident, people_csv(rows=PEOPLE))
    first_write = events.index("write")
    assert "prepare" in events[first_write:events.index("written")]


def test_a_bad_row_in_a_later_batch_stops_with_its_number(incident, user, people_csv,
                                                          small_batches):
    with pytest.raises(ActionError) as raised:
        actions.do_import_people(user, incident, people_csv(rows=[*PEOPLE, BAD]))
    assert raised.value.extra["row"] == 14  # the header is row 1


def test_a_bad_row_in_a_later_batch_leaves_nothing(incident, user, people_csv, small_batches):
    with pytest.raises(ActionError):
        actions.do_import_people(user, incident, people_csv(rows=[*PEOPLE, BAD]))
    assert Person.objects.count() + PersonKey.objects.count() == 0


def test_a_failure_in_the_preparing_thread_leaves_nothing(incident, user, people_csv,
                                                          small_batches, monkeypatch):
    real_prepare = preparing._prepare
    calls = {"n": 0}

    def fails_on_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("the disk went away")
        return real_prepare(*args, **kwargs)

    monkeypatch.setattr(preparing, "_prepare", fails_on_third)
    with pytest.raises(RuntimeError):
        actions.do_import_people(user, incident, people_csv(rows=PEOPLE))
    assert Person.objects.count() + PersonKey.objects.count() == 0


def test_a_failure_in_the_writer_leaves_nothing(incident, user, people_csv, small_batches,
                                                monkeypatch):
    real_write = imports._write_batch
    calls = {"n": 0}

    def fails_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("the connection went away")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(imports, "_write_batch", fails_on_second)
    with pytest.raises(RuntimeError):
        actions.do_import_people(user, incident, people_csv(rows=PEOPLE))
    assert Person.objects.count() + PersonKey.objects.count() == 0


def test_no_preparing_thread_runs_on_after_a_stopped_import(incident, user, people_csv,
                                                            small_batches):
    with pytest.raises(ActionError):
        actions.do_import_people(user, incident, people_csv(rows=[BAD, *PEOPLE * 3]))
    assert _preparing_threads() == []


def test_the_collector_is_back_on_after_an_import(incident, user, people_csv, small_batches):
    actions.do_import_people(user, incident, people_csv(rows=PEOPLE))
    assert gc.isenabled()


def test_the_collector_is_back_on_after_a_failed_import(incident, user, people_csv,
                                                        small_batches):
    with pytest.raises(ActionError):
        actions.do_import_people(user, incident, people_csv(rows=[*PEOPLE, BAD]))
    assert gc.isenabled()


def test_the_same_person_in_one_batch_and_the_next_is_one_person(incident, user, people_csv,
                                                                 small_batches):
    # Rows 1, 3 (in the first batch) and 14 (the third) are the same person.
    rows = [PEOPLE[0], PEOPLE[1], AGAIN, *PEOPLE[2:], AGAIN]
    result = actions.do_import_people(user, incident, people_csv(rows=rows))
    assert (result.people, result.merged) == (12, 2)


def _registry(incident) -> list[tuple]:
    return sorted((p.record().name, tuple(p.record().phones), p.record().email,
                   tuple(p.items), p.confirmed) for p in Person.objects.filter(incident=incident))


def test_the_array_path_writes_what_checking_every_row_writes(user, people_csv, small_batches,
                                                               monkeypatch):
    import numpy as np

    rows = [PEOPLE[0], AGAIN, *PEOPLE[1:6], AGAIN, PEOPLE[3], *PEOPLE[6:], PEOPLE[9]]
    fast = incident_actions.do_create_incident(title="配列", actor=user)
    actions.do_import_people(user, fast, people_csv(rows=rows))
    monkeypatch.setattr(imports, "_repeated",
                        lambda flat, owner, count: np.ones(count, dtype=bool))
    every = incident_actions.do_create_incident(title="一行ずつ", actor=user)
    actions.do_import_people(user, every, people_csv(rows=rows))
    assert _registry(fast) == _registry(every)
