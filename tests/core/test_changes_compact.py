"""An incident's change rows (rouei.core.changes) are compacted now and then: the mailer adds
one per e-mail sent, and the incident page counts them on every view. A compaction must never
give a stamp the page has seen before, or the page would show a body older than the registry."""

from __future__ import annotations

import pytest
from django.db import connection

from rouei.core import changes
from rouei.core.models import RelationChange
from rouei.workers import status

pytestmark = pytest.mark.django_db


def _stamp(incident_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(changes.stamp_sql(connection.ops.quote_name), [incident_id])
        return cursor.fetchone()[0]


def _record(incident_id: int, times: int) -> list[str]:
    """Change rows added one by one (as the triggers add them), and each stamp on the way."""
    seen = []
    for _ in range(times):
        RelationChange.objects.create(incident_id=incident_id)
        seen.append(_stamp(incident_id))
    return seen


def test_a_crowded_incident_keeps_one_change_row():
    _record(1, 6)
    changes.compact(above=3)
    assert RelationChange.objects.filter(incident_id=1).count() == 1


def test_the_stamp_after_compaction_was_never_seen_before():
    seen = _record(1, 6)
    changes.compact(above=3)
    assert _stamp(1) not in seen


def test_a_change_committed_after_compaction_moves_the_stamp():
    _record(1, 6)
    changes.compact(above=3)
    compacted = _stamp(1)
    _record(1, 1)
    assert _stamp(1) != compacted


def test_an_incident_under_the_limit_is_left_as_it_is():
    _record(2, 2)
    before = _stamp(2)
    changes.compact(above=3)
    assert _stamp(2) == before


def test_compact_counts_the_incidents_it_compacted():
    _record(1, 5)
    _record(2, 5)
    _record(3, 1)
    assert changes.compact(above=3) == 2


def test_the_workers_housekeeping_compacts_at_most_once_a_round(monkeypatch):
    monkeypatch.setattr(status, "_housekeeping_due", [0.0])
    ran = [status.housekeeping(now=1000.0), status.housekeeping(now=1001.0)]
    assert ran == [True, False]


def test_the_workers_housekeeping_runs_again_after_its_interval(monkeypatch):
    monkeypatch.setattr(status, "_housekeeping_due", [0.0])
    status.housekeeping(now=1000.0)
    assert status.housekeeping(now=1000.0 + status.HOUSEKEEPING_EVERY)


def test_the_workers_housekeeping_compacts_the_change_rows(monkeypatch):
    monkeypatch.setattr(status, "_housekeeping_due", [0.0])
    monkeypatch.setattr(changes, "COMPACT_ABOVE", 3)
    _record(1, 6)
    status.housekeeping(now=1000.0)
    assert RelationChange.objects.filter(incident_id=1).count() == 1
