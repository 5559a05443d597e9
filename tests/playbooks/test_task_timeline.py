"""A task that becomes done is a response action on the incident's timeline (in both languages),
under the task's one audit event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rouei.core.errors import ActionError
from rouei.core.models import AuditEvent
from rouei.incidents.models import TimelineEvent
from rouei.playbooks import actions

pytestmark = pytest.mark.django_db


def _entries(incident):
    return list(TimelineEvent.objects.filter(incident=incident, kind="action"))


def test_complete_task_adds_a_response_action_to_the_timeline(access_incident, user):
    task = access_incident.tasks.get(key="consult_counsel")
    done = actions.do_complete_task(task, actor=user)
    [entry] = _entries(access_incident)
    assert entry.text == f"タスク「{task.title}」を完了しました。"
    assert entry.text_in("en") == f"Task “{task.title_en}” completed."
    assert entry.at == done.completed_at and entry.author == user
    assert entry.data["task_id"] == task.pk
    event = AuditEvent.objects.filter(incident_id=access_incident.pk).latest("sequence")
    assert event.action == "task.complete" and event.details["timeline_event"] == entry.pk


def test_update_task_to_done_adds_the_entry_once(access_incident, user):
    task = access_incident.tasks.get(key="consult_counsel")
    actions.do_update_task(task, status="in_progress", actor=user)
    assert _entries(access_incident) == []
    actions.do_update_task(task, status="done", actor=user)
    actions.do_update_task(task, status="done", actor=user)  # nothing changes: no second entry
    [entry] = _entries(access_incident)
    event = AuditEvent.objects.filter(incident_id=access_incident.pk).latest("sequence")
    assert event.action == "task.update" and event.details["timeline_event"] == entry.pk


def test_completed_task_shows_on_the_incident_page(logged_in_client, access_incident):
    task = access_incident.tasks.get(key="consult_counsel")
    logged_in_client.post(reverse("playbooks:task_complete", args=[access_incident.pk, task.pk]))
    page = logged_in_client.get(reverse("incidents:detail", args=[access_incident.pk]))
    assert f"タスク「{task.title}」を完了しました。" in page.content.decode()


def test_complete_task_afterwards_keeps_when_and_what_was_done(access_incident, user):
    task = access_incident.tasks.get(key="consult_counsel")
    when = dt.datetime(2026, 11, 19, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    done = actions.do_complete_task(task, at=when, note="外部の弁護士に相談した", actor=user)
    [entry] = _entries(access_incident)
    assert done.completed_at == entry.at == when
    assert entry.text == f"タスク「{task.title}」を完了しました：外部の弁護士に相談した"
    assert entry.text_in("en") == f"Task “{task.title_en}” completed: 外部の弁護士に相談した"


@pytest.mark.parametrize("when", [dt.datetime(2026, 11, 19, 14, 0),  # no zone
                                  dt.datetime(2999, 1, 1, tzinfo=dt.UTC)])  # the future
def test_complete_task_refuses_a_naive_or_future_time(access_incident, user, when):
    task = access_incident.tasks.get(key="consult_counsel")
    with pytest.raises(ActionError) as refused:
        actions.do_complete_task(task, at=when, actor=user)
    assert refused.value.code == "bad_time" and _entries(access_incident) == []


def test_task_page_completes_with_what_was_done(logged_in_client, access_incident):
    task = access_incident.tasks.get(key="consult_counsel")
    page = logged_in_client.get(reverse("playbooks:task_edit", args=[access_incident.pk, task.pk]))
    assert "実施内容（任意・経緯に記録されます）" in page.content.decode()
    logged_in_client.post(reverse("playbooks:task_complete", args=[access_incident.pk, task.pk]),
                          {"note": "<b>顧問弁護士</b>に電話で相談"})
    [entry] = _entries(access_incident)
    assert entry.text.endswith("を完了しました：<b>顧問弁護士</b>に電話で相談")
    detail = logged_in_client.get(reverse("incidents:detail", args=[access_incident.pk]))
    assert "&lt;b&gt;顧問弁護士&lt;/b&gt;に電話で相談" in detail.content.decode()  # escaped
