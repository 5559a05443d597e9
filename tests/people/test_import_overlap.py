"""The import's key runs written between batches, in pieces, while the next batch is prepared
(issue 12: the client and PostgreSQL overlapped). Every key is written once and in the primary
key's order within a run; what is not written yet is held within bounds and seen by the
import's look-ups; a failure in the database's side midway still leaves nothing."""

from __future__ import annotations

import random
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rouei.people import actions, bulk, imports, preparing
from rouei.people.models import Person, PersonKey, digest_prefix

PEOPLE = [f"利用者{n:02d} 太郎,,,,090-0000-{n:04d},u{n}@example.jp,1980-01-{n % 28 + 1:02d},"
          for n in range(1, 31)]


@pytest.fixture
def small_batches(monkeypatch):
    """Batches and chunks of five rows, pieces of seven key rows."""
    monkeypatch.setattr(imports, "BATCH_ROWS", 5)
    monkeypatch.setattr(preparing, "CHUNK_ROWS", 5)
    monkeypatch.setattr(bulk.HeldKeys, "PIECE_ROWS", 7)
    monkeypatch.delenv(imports.KEY_RUN_ENV, raising=False)


def _keys(rng: random.Random, people: range, kinds=("ref", "phone", "email")) -> dict:
    """Random keys of ``people``, as ``HeldKeys.add_columns`` takes them."""
    return {kind: (rng.randbytes(16 * len(people)), list(people)) for kind in kinds}


def _rows(columns: dict) -> set[tuple]:
    return {(kind, digests[16 * i:16 * i + 16], pid)
            for kind, (digests, pids) in columns.items() for i, pid in enumerate(pids)}


class _Written:
    """``bulk.write_key_run`` recorded instead of written: each call's rows, in order."""

    def __init__(self):
        self.calls: list[list[tuple]] = []

    def __call__(self, incident_id, run):
        first, second, people, codes = run
        self.calls.append([
            (bulk.KINDS[c], int(f).to_bytes(8, "big") + int(s).to_bytes(8, "big"), int(p))
            for f, s, p, c in zip(first.tolist(), second.tolist(), people.tolist(),
                                  codes.tolist(), strict=True)])


@settings(max_examples=60, deadline=None)
@given(batches=st.lists(st.integers(1, 40), min_size=1, max_size=12),
       limit=st.integers(0, 300), grow=st.booleans(), piece=st.integers(1, 50),
       seed=st.integers(0, 2**16))
def test_every_key_is_written_once_in_order_within_bounds(batches, limit, grow, piece, seed):
    rng = random.Random(seed)
    written = _Written()
    held = bulk.HeldKeys(1, limit, grow=grow)
    held.PIECE_ROWS = piece
    added: set[tuple] = set()
    original, bulk.write_key_run = bulk.write_key_run, written
    try:
        start = 0
        for size in batches:
            columns = _keys(rng, range(start, start + size))
            start += size
            added |= _rows(columns)
            held.add_columns(columns)
            held.between_batches(lambda: rng.random() < 0.5)
            # Bounded: at most the limit held (or one batch over it) and one run being written.
            assert held.rows <= max(limit, 3 * size) and held.unwritten <= 2 * (limit + 3 * size)
        held.flush()
    finally:
        bulk.write_key_run = original
    rows = [row for call in written.calls for row in call]
    assert (len(rows), set(rows), held.unwritten) == (len(added), added, 0)
    for call in written.calls:  # each COPY in the primary key's order (the signed prefix)
        prefixes = [digest_prefix(digest) for _kind, digest, _pid in call]
        assert prefixes == sorted(prefixes)


@settings(max_examples=30, deadline=None)
@given(batches=st.lists(st.integers(1, 40), min_size=1, max_size=12), seed=st.integers(0, 2**16))
def test_with_no_batch_waiting_a_due_run_is_written_before_the_next_batch(batches, seed):
    rng = random.Random(seed)
    held = bulk.HeldKeys(1, 10_000, grow=True)
    held.PIECE_ROWS = 5
    original, bulk.write_key_run = bulk.write_key_run, _Written()
    try:
        start = 0
        for size in batches:
            held.add_columns(_keys(rng, range(start, start + size)))
            start += size
            held.between_batches(lambda: False)
            assert held.unwritten == held.rows
    finally:
        bulk.write_key_run = original


@pytest.mark.django_db
def test_the_rest_of_a_run_being_written_is_found_and_not_written_twice(incident):
    rng = random.Random(5)
    held = bulk.HeldKeys(incident.pk, 10_000, grow=True)
    held.PIECE_ROWS = 3
    first = _keys(rng, range(9_000, 9_010), kinds=("phone",))
    held.add_columns(first)
    held.between_batches(lambda: True)  # the first run: written whole (what was held)
    later = [_keys(rng, range(9_010 + 2 * n, 9_012 + 2 * n), kinds=("phone",)) for n in range(3)]
    for columns in later:
        held.add_columns(columns)
        held.between_batches(lambda: True)  # a batch waits: the quota only
    assert 0 < held.unwritten < 6  # a run of the later people partly written
    every = _rows(first) | set().union(*map(_rows, later))
    wanted = {(kind, digest) for kind, digest, _pid in every}
    assert sorted(bulk.find_keys(incident.pk, wanted, held)) == sorted(every)


@pytest.mark.django_db
def test_a_run_written_in_pieces_ends_with_every_key_once(incident):
    rng = random.Random(6)
    held = bulk.HeldKeys(incident.pk, 10_000, grow=True)
    held.PIECE_ROWS = 3
    every: set[tuple] = set()
    for n in range(6):
        columns = _keys(rng, range(9_000 + 4 * n, 9_004 + 4 * n))
        every |= _rows(columns)
        held.add_columns(columns)
        held.between_batches(lambda: True)
    held.flush()
    rows = list(PersonKey.objects.filter(incident=incident).values_list("kind", "digest",
                                                                        "person_id"))
    assert sorted((k, bytes(d), p) for k, d, p in rows) == sorted(every)


@pytest.mark.django_db
def test_a_merged_persons_key_in_the_rest_of_a_run_is_not_written_twice(incident):
    rng = random.Random(7)
    held = bulk.HeldKeys(incident.pk, 10_000, grow=True)
    held.PIECE_ROWS = 2
    held.add_columns(_keys(rng, range(9_000, 9_010), kinds=("phone",)))
    held.between_batches(lambda: True)
    later = {}
    for n in range(2):  # held, then a run of both partly written (a batch waits)
        columns = _keys(rng, range(9_010 + 2 * n, 9_012 + 2 * n), kinds=("phone",))
        later.update({(k, d): p for k, d, p in _rows(columns)})
        held.add_columns(columns)
        held.between_batches(lambda: True)
    later = {"phone": (b"".join(d for _k, d in later), list(later.values()))}
    unwritten = [row for row in _rows(later)
                 if not PersonKey.objects.filter(digest=row[1]).exists()]
    assert unwritten and held.not_held([(p, k, d) for k, d, p in unwritten]) == []


@pytest.mark.django_db
def test_an_import_whose_run_fails_midway_leaves_nothing(incident, user, people_csv,
                                                         small_batches, monkeypatch):
    real = bulk.write_key_run
    calls = {"n": 0}

    def fails_on_fourth_piece(*args):
        calls["n"] += 1
        if calls["n"] == 4:  # people and keys of the first batches are in the table by now
            raise RuntimeError("the connection went away")
        return real(*args)

    monkeypatch.setattr(bulk, "write_key_run", fails_on_fourth_piece)
    with pytest.raises(RuntimeError):
        actions.do_import_people(user, incident, people_csv(rows=PEOPLE))
    assert Person.objects.count() + PersonKey.objects.count() == 0


@pytest.mark.django_db
def test_an_import_written_in_pieces_has_every_persons_keys(incident, user, people_csv,
                                                            small_batches, monkeypatch):
    again = "利用者01　太郎,,,,０９０－００００－０００１,U1@EXAMPLE.JP,1980-01-02,"
    result = actions.do_import_people(user, incident, people_csv(rows=[*PEOPLE, again]))
    assert (result.people, result.merged,
            PersonKey.objects.filter(incident=incident, kind="ref").count()) == (30, 1, 30)


def test_the_writers_queue_stays_bounded():
    made = []

    def items():
        for n in range(20):
            made.append(n)
            yield n

    ahead = imports.Ahead(items(), depth=1)
    taken = []
    try:
        for item in ahead:
            time.sleep(0.02)  # the writer slower than the preparing thread
            taken.append(item)
            assert len(made) - len(taken) <= 2  # one in the queue, one being put
    finally:
        ahead.close()
    assert taken == list(range(20))


def test_ready_says_whether_an_item_waits():
    release = threading.Event()

    def items():
        release.wait(5)
        yield 1

    ahead = imports.Ahead(items())
    try:
        before = ahead.ready()
        release.set()
        deadline = time.monotonic() + 5
        while not ahead.ready() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert (before, ahead.ready(), list(ahead)) == (False, True, [1])
    finally:
        ahead.close()
