"""The tasks endpoints: list an incident's tasks, update status, owner and due date, mark done —
through the playbooks app's actions, scoped like every incident endpoint."""

from __future__ import annotations

import pytest

from rouei.core.models import AuditEvent
from rouei.incidents import actions
from rouei.playbooks.models import Task

pytestmark = pytest.mark.django_db


def _task(incident, key: str = "preserve_evidence") -> Task:
    return incident.tasks.get(key=key)


def _url(incident, task=None, suffix: str = "") -> str:
    return f"/incidents/{incident.pk}/tasks" + (f"/{task.pk}{suffix}" if task else "")


def test_tasks_list_has_the_playbook_tasks_with_due_dates(api, incident):
    body = api.get(_url(incident)).json()
    assert body["count"] == incident.tasks.count() > 0
    evidence = next(t for t in body["items"] if t["key"] == "preserve_evidence")
    assert evidence["title"] == "ログ・証拠の保全" and evidence["status"] == "todo"
    assert evidence["due_date"] == "2026-11-24" and evidence["due_rule"] == "knew"
    english = api.get(_url(incident), lang="en").json()["items"]
    assert next(t for t in english if t["key"] == "preserve_evidence")["title"].isascii()


def test_tasks_list_is_paginated_and_filtered(api, incident, user):
    total = incident.tasks.count()
    page = api.get(_url(incident), limit=2, offset=1).json()
    assert page["count"] == total and len(page["items"]) == 2 and page["offset"] == 1
    api.post(f"{_url(incident, _task(incident), '/complete')}", {})
    done = api.get(_url(incident), status="done").json()
    assert done["count"] == 1 and done["items"][0]["key"] == "preserve_evidence"


def test_tasks_non_member_gets_404_everywhere(api, incident, outsider, token_for):
    outside = api.as_(token_for(outsider))
    task = _task(incident)
    assert outside.get(_url(incident)).status_code == 404
    patched = outside.patch(_url(incident, task), {"status": "done"})
    completed = outside.post(_url(incident, task, "/complete"), {})
    assert patched.status_code == completed.status_code == 404
    assert patched.content == api.patch(f"/incidents/999999/tasks/{task.pk}",
                                        {"status": "done"}).content
    task.refresh_from_db()
    assert task.status == "todo"


def test_tasks_of_another_incident_are_not_found_through_mine(api, incident, user):
    other = actions.do_create_incident(title="別の事案", facts={"cause": "ransomware"},
                                       actor=user)
    foreign = other.tasks.first()
    response = api.patch(_url(incident, foreign), {"status": "in_progress"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "todo"


def test_tasks_viewer_may_read_but_not_write(api, incident, member, token_for):
    viewer = api.as_(token_for(member("viewer")))
    assert viewer.get(_url(incident)).status_code == 200
    task = _task(incident)
    assert viewer.patch(_url(incident, task), {"status": "done"}).status_code == 403
    assert viewer.post(_url(incident, task, "/complete"), {}).status_code == 403
    task.refresh_from_db()
    assert task.status == "todo"


def test_task_update_status_and_owner_is_audited_with_the_api_user(api, incident, user,
                                                                    member, token_for):
    forensics = member("forensics")
    task = _task(incident)
    response = api.as_(token_for(forensics)).patch(
        _url(incident, task), {"status": "in_progress", "owner": forensics.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_progress"
    assert body["owner"] == {"id": forensics.pk, "username": forensics.username}
    event = AuditEvent.objects.filter(action="task.update").get()
    assert event.actor_id == forensics.pk and event.details["task_id"] == task.pk
    # unassign
    assert api.patch(_url(incident, task), {"owner": None}).json()["owner"] is None


def test_task_owner_must_be_a_member_and_unknown_users_look_the_same(api, incident, outsider):
    task = _task(incident)
    not_member = api.patch(_url(incident, task), {"owner": outsider.pk})
    no_such_user = api.patch(_url(incident, task), {"owner": 999999})
    assert not_member.status_code == no_such_user.status_code == 400
    assert not_member.json() == no_such_user.json()
    assert not_member.json()["code"] == "owner_not_member"


def test_task_due_date_by_hand_needs_a_reason(api, incident):
    task = _task(incident)
    refused = api.patch(_url(incident, task), {"due_date": "2026-11-30"})
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    moved = api.patch(_url(incident, task), {"due_date": "2026-11-30",
                                             "due_reason": "外部業者の到着待ち"})
    assert moved.status_code == 200
    assert moved.json()["due_date"] == "2026-11-30" and moved.json()["due_overridden"] is True
    back = api.patch(_url(incident, task), {"follow_rule": True}).json()
    assert back["due_date"] == "2026-11-24" and back["due_overridden"] is False


def test_task_complete_records_who_and_when(api, incident, user):
    task = _task(incident)
    response = api.post(_url(incident, task, "/complete"), {})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "done" and body["is_open"] is False
    assert body["completed_by"]["id"] == user.pk and body["completed_at"]
    event = AuditEvent.objects.get(action="task.complete")
    assert event.actor_id == user.pk
    again = api.post(_url(incident, task, "/complete"), {})
    assert again.status_code == 400 and again.json()["code"] == "already_done"


@pytest.mark.parametrize("body, field, code", [
    ({"status": "finished"}, "status", "enum"),
    ({"priority": 1}, "priority", "extra_forbidden"),
    ({"due_date": "tomorrow"}, "due_date", "date_from_datetime_parsing"),
    ({"owner": 0}, "owner", "greater_than_equal"),
])
def test_task_update_bad_body_is_422(api, incident, body, field, code):
    response = api.patch(_url(incident, _task(incident)), body)
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]


def test_task_update_nothing_changed_records_nothing(api, incident):
    task = _task(incident)
    before = AuditEvent.objects.count()
    response = api.patch(_url(incident, task), {"status": "todo"})
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before


def test_tasks_due_dates_move_with_the_facts_via_the_api(api, incident):
    def final_report_task():
        return next(t for t in api.get(_url(incident)).json()["items"]
                    if t["key"] == "final_report")

    assert final_report_task()["due_date"] is None  # 900 people: not reportable
    facts = api.get(f"/incidents/{incident.pk}/facts").json()
    api.put(f"/incidents/{incident.pk}/facts", {
        "expected_version": facts["version"],
        "facts": {**facts["facts"], "people_confirmed": 1200}})
    due = api.get(f"/incidents/{incident.pk}/assessment").json()["final_report_due"]
    assert due == "2026-12-23" and final_report_task()["due_date"] == due


def test_tasks_set_aside_by_the_facts_say_why_via_the_api(api, incident):
    def put_people(count):
        facts = api.get(f"/incidents/{incident.pk}/facts").json()
        api.put(f"/incidents/{incident.pk}/facts", {
            "expected_version": facts["version"],
            "facts": {**facts["facts"], "people_confirmed": count}})

    put_people(1200)  # reportable (規則7条4号)
    put_people(900)  # not any more: the report tasks are set aside
    final = next(t for t in api.get(_url(incident)).json()["items"]
                 if t["key"] == "final_report")
    assert (final["status"], final["not_needed_reason"]) == (
        "not_needed", "個人情報保護委員会への報告が不要と判定されたため（法26条1項）")


def test_tasks_not_set_aside_have_no_reason_via_the_api(api, incident):
    evidence = next(t for t in api.get(_url(incident)).json()["items"]
                    if t["key"] == "preserve_evidence")
    assert evidence["not_needed_reason"] == ""
