"""The incident page stays cheap as an incident grows: a long timeline is cut to its newest
entries (all of them on request), and the number of queries does not grow with it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rouei.evidence.actions import do_add_note
from rouei.incidents import actions
from rouei.incidents.views import TIMELINE_ON_PAGE

START = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)


def _add_entries(incident, user, n: int) -> None:
    for i in range(n):
        actions.do_add_timeline_event(incident, kind="action", at=START + dt.timedelta(hours=i),
                                      text=f"対応記録 {i:03d}", actor=user)


def _page(client, incident, query: str = "") -> str:
    return client.get(reverse("incidents:detail", args=[incident.pk]) + query).content.decode()


@pytest.fixture
def long_incident(incident, user):
    _add_entries(incident, user, TIMELINE_ON_PAGE + 5)
    return incident


def test_a_long_timeline_shows_its_newest_entry(logged_in_client, long_incident):
    assert f"対応記録 {TIMELINE_ON_PAGE + 4:03d}" in _page(logged_in_client, long_incident)


def test_a_long_timeline_leaves_out_its_oldest_entry(logged_in_client, long_incident):
    assert "対応記録 000" not in _page(logged_in_client, long_incident)


def test_a_long_timeline_says_how_many_entries_there_are(logged_in_client, long_incident):
    total = long_incident.timeline.count()
    assert f"全{total}件のうち新しい{TIMELINE_ON_PAGE}件" in _page(logged_in_client, long_incident)


def test_the_whole_timeline_on_request(logged_in_client, long_incident):
    assert "対応記録 000" in _page(logged_in_client, long_incident, "?timeline=all")


def test_a_short_timeline_is_shown_whole_without_the_note(logged_in_client, incident, user):
    _add_entries(incident, user, 3)
    page = _page(logged_in_client, incident)
    assert "対応記録 000" in page and 'id="timeline-older"' not in page


def test_the_queries_do_not_grow_with_the_timeline(logged_in_client, incident, user):
    _page(logged_in_client, incident)
    with CaptureQueriesContext(connection) as short:
        _page(logged_in_client, incident)
    _add_entries(incident, user, TIMELINE_ON_PAGE + 20)
    _page(logged_in_client, incident)
    with CaptureQueriesContext(connection) as long:
        _page(logged_in_client, incident)
    assert len(long) == len(short)


# One view of the page on the test database, its incident with a note, the body kept by the
# view before (rouei.core.pagestate): the session, the user, the membership, the kept cards'
# fingerprints, the registry card's key (the change stamp, the key rules: one statement of index
# look-ups, never a pass over the registry), the user
# names, the state of the incident's rows, the audited read of the notes
# shown (the savepoint, the head read, the row, the head written, the release: PostgreSQL
# locks and writes the head with the row) and the permissions of the top bar. Nothing the body
# shows is read: the snapshot, facts, filed reports, evidence, notes, scans, people and signals
# are read only to build it again (19 queries before the body was kept). PostgreSQL asks one
# fewer: it inserts the audit row and moves the chain head in one statement (core/audit.py).
PAGE_QUERIES = {"sqlite": 13, "postgresql": 12}


def _queries_of_a_view(client, incident) -> list[str]:
    do_add_note(incident, body="ベンダーに連絡済み", actor=incident.memberships.get().user)
    _page(client, incident)  # the kept parts built
    with CaptureQueriesContext(connection) as captured:
        _page(client, incident)
    return [query["sql"] for query in captured.captured_queries]


def test_one_view_of_the_page_asks_the_database_a_known_number_of_times(logged_in_client,
                                                                         incident):
    assert len(_queries_of_a_view(logged_in_client, incident)) == PAGE_QUERIES[connection.vendor]


def test_one_view_of_the_page_asks_no_query_twice(logged_in_client, incident):
    queries = _queries_of_a_view(logged_in_client, incident)
    assert [q for q in queries if queries.count(q) > 1] == []


# Served as in production, outside any transaction, PostgreSQL's audited read is one round trip
# of several statements (BEGIN; the head locked, the row written and the head moved if the head
# is the one the row was signed against; COMMIT; the flush barrier: core/audit.py), where it
# took two (session 11) and three before, and inside a test's transaction takes four (the
# savepoint, the head locked, the row, the release): 9 with the body kept, the registry card's
# key included (16 before it was).
PAGE_QUERIES_SERVED_ON_POSTGRESQL = 9


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's audited read")
@pytest.mark.django_db(transaction=True)
def test_one_view_served_outside_a_transaction_asks_postgresql_a_known_number_of_times(
        logged_in_client, incident):
    queries = _queries_of_a_view(logged_in_client, incident)
    assert len(queries) == PAGE_QUERIES_SERVED_ON_POSTGRESQL
