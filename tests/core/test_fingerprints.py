"""The fingerprint the incident page's kept cards are keyed on moves with every change of the
rows it covers, and is read once per view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from rouei.core.fingerprints import Remembered, fingerprint, user_names
from rouei.incidents import actions

AT = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)


@pytest.fixture
def incident(user):
    return actions.do_create_incident(title="指紋テスト", facts={}, actor=user)


def _entry(incident, user, text="最初の記録"):
    return actions.do_add_timeline_event(incident, kind="action", at=AT, text=text, actor=user)


def test_a_new_row_changes_the_fingerprint(incident, user):
    before = fingerprint(incident, "timeline")
    _entry(incident, user)
    assert fingerprint(incident, "timeline") != before


def test_an_edited_row_changes_the_fingerprint(incident, user):
    entry = _entry(incident, user)
    before = fingerprint(incident, "timeline")
    actions.do_edit_timeline_event(entry, kind="action", text="訂正した記録", at=AT, reason="誤記",
                                   actor=user)
    assert fingerprint(incident, "timeline") != before


def test_a_removed_row_changes_the_fingerprint(incident, user):
    _entry(incident, user, "一件目")
    _entry(incident, user, "二件目")
    before = fingerprint(incident, "timeline")
    incident.timeline.order_by("id").first().delete()
    assert fingerprint(incident, "timeline") != before


def test_another_incidents_row_leaves_the_fingerprint_alone(incident, user):
    other = actions.do_create_incident(title="別の事案", facts={}, actor=user)
    before = fingerprint(incident, "timeline")
    _entry(other, user)
    assert fingerprint(incident, "timeline") == before


def test_one_query_per_view_for_every_relation(incident):
    request = RequestFactory().get("/")
    fingerprint(incident, "timeline", "tasks", request=request)
    with CaptureQueriesContext(connection) as queries:
        fingerprint(incident, "tasks", request=request)
        fingerprint(incident, "timeline", request=request)
    assert len(queries) == 0


def test_remembered_builds_once_per_key():
    memory, built = Remembered(), []
    for key in ("a", "a", "b"):
        memory.get(1, key, lambda: built.append(1))
    assert len(built) == 2


def test_remembered_forgets_the_least_recently_shown_incident():
    memory, built = Remembered(size=2), []
    for incident_id in (1, 2, 3, 1):
        memory.get(incident_id, "k", lambda: built.append(1))
    assert len(built) == 4


def test_a_shared_table_changed_changes_the_fingerprint(incident):
    from rouei.playbooks.models import Playbook

    before = fingerprint(incident, "playbooks.Playbook")
    playbook = Playbook.objects.order_by("id").first()
    playbook.save()
    assert fingerprint(incident, "playbooks.Playbook") != before


def test_a_user_renamed_changes_the_names(incident, user):
    _entry(incident, user)
    before = user_names(incident, "timeline.author")
    user.username = "renamed"
    user.save()
    assert user_names(incident, "timeline.author") != before


def test_the_names_are_those_of_the_users_pointed_to(incident, user, make_user):
    make_user("not-on-the-incident")
    _entry(incident, user)
    assert user_names(incident, "timeline.author") == ((user.pk, user.username),)


def test_the_names_read_for_more_pointers_answer_without_a_query(incident):
    request = RequestFactory().get("/")
    user_names(incident, "timeline.author", "memberships.user", request=request)
    with CaptureQueriesContext(connection) as queries:
        user_names(incident, "memberships.user", request=request)
    assert len(queries) == 0
