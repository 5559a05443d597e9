"""Merging into people already in the registry (a re-import, or a person of an earlier batch)
costs the same per person however many are merged in the batch (issue 12: in a large file the
merges into earlier batches grow faster than the rows, docs/benchmarks.md, session 14)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rouei.incidents import actions as incident_actions
from rouei.people import actions
from rouei.people.models import Person

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                     reason="the array statements are PostgreSQL's")


def _people(count: int) -> list[str]:
    return [f"利用者{n:03d} 太郎,,,,090-0000-{n:04d},u{n}@example.jp,1980-01-01,"
            for n in range(1, count + 1)]


def _again(count: int) -> list[str]:
    # The same people typed again: full-width space, upper-case e-mail, a new address.
    return [f"利用者{n:03d}　太郎,,,東京都千代田区千代田1-{n},090-0000-{n:04d},U{n}@EXAMPLE.JP,"
            "1980-01-01," for n in range(1, count + 1)]


def _merge_branches(user, people_csv, count: int) -> int:
    """The CASE branches of the statements that write ``count`` merged people."""
    incident = incident_actions.do_create_incident(title=f"merge {count}", facts={}, actor=user)
    actions.do_import_people(user, incident, people_csv(rows=_people(count), name=f"a{count}.csv"))
    with CaptureQueriesContext(connection) as queries:
        actions.do_import_people(user, incident,
                                 people_csv(rows=_again(count), name=f"b{count}.csv"))
    return sum(q["sql"].count(" WHEN ") for q in queries.captured_queries
               if q["sql"].startswith("UPDATE") and Person._meta.db_table in q["sql"])


@postgresql_only
def test_merged_people_are_written_without_a_branch_per_person(user, people_csv):
    assert _merge_branches(user, people_csv, 20) == _merge_branches(user, people_csv, 2)


def test_a_merged_person_keeps_the_new_address(incident, user, people_csv):
    actions.do_import_people(user, incident, people_csv(rows=_people(3)))
    actions.do_import_people(user, incident, people_csv(rows=_again(3), name="again.csv"))
    addresses = sorted(p.record().address for p in Person.objects.filter(incident=incident))
    assert addresses == [f"東京都千代田区千代田1-{n}" for n in range(1, 4)]
