"""The new people's key rows held over batches and written as one sorted run (issue 12: the
keys' cost in PostgreSQL grows with the runs written into a large index). The import's own
look-ups see the rows held: a merge in a later batch, a reference number drawn again. Still
one transaction: an import stopped before or after a run is written leaves nothing."""

from __future__ import annotations

import pytest

from rouei.core.errors import ActionError
from rouei.incidents import actions as incident_actions
from rouei.people import actions, bulk, columnwise, imports, preparing, services
from rouei.people.models import Person, PersonKey
from rouei.people.registry import Query

pytestmark = pytest.mark.django_db

PEOPLE = [f"利用者{n:02d} 太郎,,,,090-0000-{n:04d},u{n}@example.jp,1980-01-{n:02d},"
          for n in range(1, 13)]
# The first person again, in the third batch, with a phone the first row did not have.
FIRST_WITH_A_NEW_PHONE = "利用者01 太郎,,,,080-9999-0001,,1980-01-01,"


@pytest.fixture
def small_batches(monkeypatch):
    """Batches and chunks of five rows: a twelve-row file is three batches; the key rows are
    held for the whole file unless a test says otherwise."""
    monkeypatch.setattr(imports, "BATCH_ROWS", 5)
    monkeypatch.setattr(preparing, "CHUNK_ROWS", 5)
    monkeypatch.delenv(imports.KEY_RUN_ENV, raising=False)


ONE_EARLIER = "先客 一郎,,,,070-1111-0000,first@example.jp,1970-05-05,"


@pytest.fixture
def incident_with_people(incident, user, people_csv):
    """The incident with one person imported already: its index may be large, so an import's
    keys are held for whole runs of the limit's size."""
    actions.do_import_people(user, incident, people_csv(rows=[ONE_EARLIER], name="earlier.csv"))
    return incident


def test_into_people_already_no_key_row_is_written_until_the_run_is(incident_with_people, user,
                                                                     people_csv, small_batches):
    earlier_keys = PersonKey.objects.count()
    counted = []

    def progress(rows, _bytes):
        counted.append((Person.objects.count(), PersonKey.objects.count() - earlier_keys))

    actions.do_import_people(user, incident_with_people, people_csv(rows=PEOPLE),
                             progress=progress)
    assert counted[:2] == [(6, 0), (11, 0)]


def test_into_people_already_the_keys_of_the_whole_file_are_one_run(
        incident_with_people, user, people_csv, small_batches, monkeypatch):
    runs = []
    real = bulk.write_key_run
    monkeypatch.setattr(bulk, "write_key_run", lambda *a: runs.append(1) or real(*a))
    actions.do_import_people(user, incident_with_people, people_csv(rows=PEOPLE))
    assert len(runs) == 1


def test_into_an_empty_incident_a_batchs_keys_are_written_before_the_next_batch(
        incident, user, people_csv, small_batches):
    counted = []
    actions.do_import_people(user, incident, people_csv(rows=PEOPLE),
                             progress=lambda rows, _b: counted.append(PersonKey.objects.count()))
    assert counted[0] == PersonKey.objects.filter(person__in=Person.objects.order_by("id")[:5]
                                                  ).count()


def test_into_an_empty_incident_the_runs_grow_with_the_keys_written(incident, user, people_csv,
                                                                      small_batches,
                                                                      monkeypatch):
    sizes = []
    real = bulk.write_key_run
    monkeypatch.setattr(bulk, "write_key_run",
                        lambda incident_id, run: sizes.append(len(run[2])) or real(incident_id,
                                                                                 run))
    rows = [f"利用者{n:02d} 太郎,,,,090-0000-{n:04d},u{n}@example.jp,1980-01-{n % 28 + 1:02d},"
            for n in range(1, 41)]  # eight batches of five
    actions.do_import_people(user, incident, people_csv(rows=rows))
    assert len(sizes) < 8


def test_every_key_is_written_by_the_end(incident, user, people_csv, small_batches):
    actions.do_import_people(user, incident, people_csv(rows=PEOPLE))
    person = services.find(incident, Query.build(phone="090-0000-0012"))
    assert [p.record().name for p in person] == ["利用者12 太郎"]


def test_a_run_is_written_when_the_held_rows_reach_the_limit(incident, user, people_csv,
                                                             small_batches, monkeypatch):
    monkeypatch.setenv(imports.KEY_RUN_ENV, "1")  # every batch's keys written after it
    counted = []
    actions.do_import_people(user, incident, people_csv(rows=PEOPLE),
                             progress=lambda rows, _b: counted.append(PersonKey.objects.count()))
    assert counted[0] > 0


def test_a_person_whose_keys_are_held_is_merged_into_by_a_later_batch(incident, user,
                                                                       people_csv,
                                                                       small_batches):
    result = actions.do_import_people(user, incident,
                                      people_csv(rows=[*PEOPLE, FIRST_WITH_A_NEW_PHONE]))
    assert (result.people, result.merged) == (12, 1)


def test_the_merged_person_is_found_by_the_later_batchs_phone(incident, user, people_csv,
                                                              small_batches):
    actions.do_import_people(user, incident, people_csv(rows=[*PEOPLE, FIRST_WITH_A_NEW_PHONE]))
    found = services.find(incident, Query.build(phone="080-9999-0001"))
    assert [p.record().phones for p in found] == [("09000000001", "08099990001")]


def test_the_merged_person_is_found_by_its_first_phone(incident, user, people_csv,
                                                       small_batches):
    actions.do_import_people(user, incident, people_csv(rows=[*PEOPLE, FIRST_WITH_A_NEW_PHONE]))
    found = services.find(incident, Query.build(phone="090-0000-0001"))
    assert len(found) == 1


def test_a_reference_number_held_is_not_given_again(incident, user, people_csv, small_batches,
                                                    monkeypatch):
    real = columnwise._references
    first: list[str] = []

    def first_always_the_same(count):  # each chunk's first row gets the first chunk's number
        drawn = real(count)
        first[:] = first or drawn[:1]
        return [*first, *drawn[1:]]

    monkeypatch.setattr(columnwise, "_references", first_always_the_same)
    actions.do_import_people(user, incident, people_csv(rows=PEOPLE))
    refs = [p.record().ref for p in Person.objects.filter(incident=incident)]
    assert len(set(refs)) == 12


def test_an_import_killed_after_a_run_was_written_leaves_nothing(incident, user, people_csv,
                                                                  small_batches, monkeypatch):
    monkeypatch.setenv(imports.KEY_RUN_ENV, "1")
    real = imports._write_batch
    calls = {"n": 0}

    def dies_on_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the first two batches' keys are in the table by now
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "_write_batch", dies_on_third)
    with pytest.raises(KeyboardInterrupt):
        actions.do_import_people(user, incident, people_csv(rows=PEOPLE))
    assert Person.objects.count() + PersonKey.objects.count() == 0


def test_an_import_stopped_with_keys_held_leaves_nothing(incident, user, people_csv,
                                                         small_batches):
    with pytest.raises(ActionError):
        actions.do_import_people(user, incident, people_csv(rows=[*PEOPLE, "壊れた 行,,,,電話なし,,,"]))
    assert Person.objects.count() + PersonKey.objects.count() == 0


def _keys_by_person(incident) -> list[tuple]:
    """Each person's keys but the reference number (drawn at random), as a sorted list."""
    people: dict[int, list] = {}
    for person_id, kind, digest in PersonKey.objects.filter(incident=incident).exclude(
            kind="ref").values_list("person_id", "kind", "digest"):
        people.setdefault(person_id, []).append((kind, bytes(digest)))
    return sorted(tuple(sorted(keys)) for keys in people.values())


def test_the_keys_are_those_written_batch_by_batch(user, people_csv, small_batches,
                                                   monkeypatch):
    again = "利用者01　太郎,,,,０９０－００００－０００１,U1@EXAMPLE.JP,1980-01-01,"
    rows = [PEOPLE[0], again, *PEOPLE[1:6], FIRST_WITH_A_NEW_PHONE, *PEOPLE[6:], again]
    held = incident_actions.do_create_incident(title="まとめて", actor=user)
    actions.do_import_people(user, held, people_csv(rows=rows))
    monkeypatch.setenv(imports.KEY_RUN_ENV, "0")
    each = incident_actions.do_create_incident(title="一括ごと", actor=user)
    actions.do_import_people(user, each, people_csv(rows=rows))
    assert _keys_by_person(held) == _keys_by_person(each)


def test_a_key_run_that_is_not_a_number_is_refused(monkeypatch):
    monkeypatch.setenv(imports.KEY_RUN_ENV, "many")
    with pytest.raises(ActionError):
        imports.key_run_rows()
