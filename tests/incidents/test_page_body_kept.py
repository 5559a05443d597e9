"""The incident page's body is kept between views (rouei.core.pagestate): a repeated view
renders nothing, yet the next view after any write shows it, every view is audited, each
viewer gets their own CSRF token, a non-member gets 404 before anything kept is looked at, and
nothing the page shows is kept in clear."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from rouei.core import pagestate
from rouei.core.access import Role
from rouei.core.models import AuditEvent
from rouei.evidence.actions import do_add_note, do_edit_note
from rouei.incidents import actions
from rouei.incidents.models import Incident
from rouei.incidents.views import SUMMARISED, _bodies
from tests.incidents.conftest import FACTS_900


def _page(client, incident, query: str = "") -> str:
    return client.get(reverse("incidents:detail", args=[incident.pk]) + query).content.decode()


def _kept_page(client, incident) -> str:
    """A view whose body comes from memory (the first view keeps it)."""
    _page(client, incident)
    return _page(client, incident)


def _entry(incident, user, text: str):
    return actions.do_add_timeline_event(incident, kind="action", text=text,
                                         at=dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC),
                                         actor=user)


def test_a_repeated_view_renders_no_template_of_the_body(logged_in_client, incident):
    _page(logged_in_client, incident)
    with mock.patch("rouei.incidents.views._body") as body:
        _page(logged_in_client, incident)
    assert body.call_count == 0


def test_a_repeated_view_shows_the_same_page_as_the_first(logged_in_client, incident, user):
    _entry(incident, user, "最初の記録")
    first = _page(logged_in_client, incident)
    second = _page(logged_in_client, incident)
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", second) == token.sub("", first)


def test_a_note_added_after_the_body_was_kept_shows(logged_in_client, incident, user):
    _kept_page(logged_in_client, incident)
    do_add_note(incident, body="委託先へ連絡した", actor=user)
    assert "委託先へ連絡した" in _page(logged_in_client, incident)


def test_a_note_edited_after_the_body_was_kept_shows_edited(logged_in_client, incident, user):
    note = do_add_note(incident, body="最初の文面", actor=user)
    _kept_page(logged_in_client, incident)
    do_edit_note(note, body="直した文面", expected_version=note.version, actor=user)
    assert "直した文面" in _page(logged_in_client, incident)


def test_a_timeline_entry_added_after_the_body_was_kept_shows(logged_in_client, incident, user):
    _kept_page(logged_in_client, incident)
    _entry(incident, user, "委託先から報告を受けた")
    assert "委託先から報告を受けた" in _page(logged_in_client, incident)


def test_a_task_done_after_the_body_was_kept_leaves_the_open_tasks(logged_in_client, incident,
                                                                   user):
    from rouei.playbooks.actions import do_update_task
    from rouei.playbooks.choices import OPEN_STATUSES

    # One of the playbook's tasks, from the incident's opening.
    task = incident.tasks.filter(status__in=OPEN_STATUSES).order_by("id").first()
    before = _kept_page(logged_in_client, incident)
    do_update_task(task, status="done", actor=user)
    count = re.compile(r'<section id="tasks".*?<span class="task-count">(\d+)</span>', re.S)
    assert int(count.search(_page(logged_in_client, incident))[1]) == int(
        count.search(before)[1]) - 1


def test_a_member_added_after_the_body_was_kept_shows(logged_in_client, incident, make_user,
                                                      user):
    _kept_page(logged_in_client, incident)
    actions.do_add_member(incident, make_user("suzuki"), Role.FORENSICS, actor=user)
    assert 'data-user="suzuki"' in _page(logged_in_client, incident)


def test_a_member_whose_role_changed_sees_their_new_role(incident, member, user):
    viewer = member(Role.VIEWER, "sato")
    client = Client()
    client.force_login(viewer)
    assert 'id="edit-details"' not in _kept_page(client, incident)
    actions.do_change_member_role(incident.memberships.get(user=viewer), Role.FORENSICS,
                                  actor=user)
    assert 'id="edit-details"' in _page(client, incident)


def test_a_member_renamed_after_the_body_was_kept_shows_the_new_name(logged_in_client,
                                                                     incident, user):
    _kept_page(logged_in_client, incident)
    user.username = "tanaka-renamed"
    user.save()
    assert 'data-user="tanaka-renamed"' in _page(logged_in_client, incident)


def test_a_row_changed_without_save_after_the_body_was_kept_shows(logged_in_client, incident):
    # ``update()`` moves no ``updated_at`` and sends no signal: the rows' digest sees it.
    _kept_page(logged_in_client, incident)
    Incident.objects.filter(pk=incident.pk).update(organisation="総務部")
    assert "総務部" in _page(logged_in_client, incident)


def test_a_language_switch_after_the_body_was_kept_shows_the_page_in_english(
        logged_in_client, incident):
    _kept_page(logged_in_client, incident)
    logged_in_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Incident status" in _page(logged_in_client, incident)


def test_the_days_left_move_when_the_day_turns_with_the_body_kept(logged_in_client, incident,
                                                                   user):
    # More than 1,000 people: reportable, with deadlines. Viewed at 23:30 JST, then at 00:30
    # JST the next day: the days left before the next deadline are not the same.
    actions.do_update_facts(incident, {**FACTS_900, "people_confirmed": 1001},
                            expected_version=incident.version, actor=user)
    left = re.compile(r'<p class="next-deadline">.*?<span class="left[^"]*">([^<]+)</span>', re.S)
    with _at(dt.datetime(2026, 11, 25, 14, 30, tzinfo=dt.UTC)):
        evening = left.search(_kept_page(logged_in_client, incident))[1]
    with _at(dt.datetime(2026, 11, 25, 15, 30, tzinfo=dt.UTC)):
        morning = left.search(_page(logged_in_client, incident))[1]
    assert evening != morning


def _at(moment: dt.datetime):
    """The clock of Django's ``timezone`` (today, local time) stopped at ``moment``."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_every_view_of_a_kept_body_records_the_notes_shown(logged_in_client, incident, user):
    do_add_note(incident, body="ベンダーに連絡済み", actor=user)
    _page(logged_in_client, incident)
    before = AuditEvent.objects.filter(action="notes.view").count()
    _page(logged_in_client, incident)
    assert AuditEvent.objects.filter(action="notes.view").count() == before + 1


def test_a_view_of_a_kept_body_records_the_same_notes_as_the_view_that_built_it(
        logged_in_client, incident, user):
    do_add_note(incident, body="ベンダーに連絡済み", actor=user)
    _kept_page(logged_in_client, incident)
    built, kept = AuditEvent.objects.filter(action="notes.view").order_by("-id")[:2][::-1]
    assert kept.details == built.details


def test_a_view_of_a_kept_body_records_the_viewer(incident, member, user):
    do_add_note(incident, body="ベンダーに連絡済み", actor=user)
    other = member(Role.FORENSICS, "sato")
    client, mine = Client(), Client()
    client.force_login(other)
    mine.force_login(user)
    _page(mine, incident)
    _page(client, incident)
    assert AuditEvent.objects.filter(action="notes.view").latest("id").actor_id == other.pk


def test_a_form_of_a_body_kept_for_another_member_takes_this_viewers_token(incident, member,
                                                                           user):
    other = member(Role.LEAD, "sato")
    first = Client()
    first.force_login(user)
    _page(first, incident)  # kept by tanaka's view
    client = Client(enforce_csrf_checks=True)
    client.force_login(other)
    page = _page(client, incident)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    answer = client.post(reverse("incidents:timeline_add", args=[incident.pk]),
                         {"csrfmiddlewaretoken": token, "kind": "action",
                          "at": "2026-11-25T09:00", "text": "トークンの確認"})
    assert answer.status_code != 403


def test_a_non_member_gets_404_before_anything_kept_is_looked_at(logged_in_client, incident,
                                                                 outsider):
    _kept_page(logged_in_client, incident)
    client = Client()
    client.force_login(outsider)
    with mock.patch.object(pagestate, "state", side_effect=AssertionError("state read")):
        answer = client.get(reverse("incidents:detail", args=[incident.pk]))
    assert answer.status_code == 404


def test_the_kept_body_holds_no_note_in_clear(logged_in_client, incident, user):
    do_add_note(incident, body="秘匿メモ本文", actor=user)
    _kept_page(logged_in_client, incident)
    kept = repr(list(_bodies._kept.values()))
    assert "秘匿メモ本文" not in kept


def test_the_kept_body_holds_no_timeline_entry_in_clear(logged_in_client, incident, user):
    _entry(incident, user, "秘匿された経過")
    _kept_page(logged_in_client, incident)
    assert "秘匿された経過" not in repr(list(_bodies._kept.values()))


@pytest.mark.parametrize("name", sorted(SUMMARISED))
def test_each_summarised_relation_is_a_relation_of_the_incident(name):
    assert name in {r.get_accessor_name() for r in pagestate.relations(Incident)}


def test_no_relation_of_the_incident_escapes_the_state():
    # A many-to-many to the incident would not be read by ``state``.
    assert [r for r in Incident._meta.related_objects if r.many_to_many] == []


def _triggers(table: str) -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                           "AND NOT tgisinternal", [table])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = %s", [table])
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SUMMARISED))
def test_each_summarised_relation_records_its_writes(name):
    # Its rows are never read by ``state``: only the changes its triggers record stand for them.
    [relation] = [r for r in pagestate.relations(Incident) if r.get_accessor_name() == name]
    table = relation.related_model._meta.db_table
    assert {f"rouei_changed_{op}_{table}" for op in ("insert", "update", "delete")} <= _triggers(
        table)
