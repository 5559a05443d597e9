"""During an import Python's collector runs only once in ``FULL_COLLECTION_BATCHES`` batches:
collecting the young objects after every batch walked the next batch in flight (alive, no
garbage) at a cost that grew as the file went on (docs/benchmarks.md, session 14, impscale)."""

from __future__ import annotations

import gc
import types

import pytest

from rouei.people import actions, imports, preparing

pytestmark = pytest.mark.django_db

PEOPLE = [f"利用者{n:02d} 太郎,,,,090-0000-{n:04d},u{n}@example.jp,1980-01-{n:02d},"
          for n in range(1, 13)]


def test_the_import_collects_once_in_so_many_batches(incident, user, people_csv, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    monkeypatch.setattr(preparing, "CHUNK_ROWS", 2)
    monkeypatch.setattr(imports, "FULL_COLLECTION_BATCHES", 3)
    calls: list[tuple] = []
    counting = types.SimpleNamespace(
        isenabled=gc.isenabled, disable=gc.disable, enable=gc.enable,
        collect=lambda *args: calls.append(args) or 0)
    monkeypatch.setattr(imports, "gc", counting)
    actions.do_import_people(user, incident, people_csv(rows=PEOPLE))  # six batches
    assert len(calls) == 1  # before the fourth; none after the last (the import is over)
