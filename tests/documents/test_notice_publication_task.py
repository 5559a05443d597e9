"""Publishing the public notice closes the incident's 公表 task (audited, with the timeline
entry the tasks write) and starts a card leak's 公表内容と時期の調整."""

from __future__ import annotations

import pytest

from rouei.core.models import AuditEvent
from rouei.documents import actions
from rouei.people.models import NoticeSettings
from rouei.playbooks import actions as task_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(incident):
    NoticeSettings.objects.create(incident=incident, window_phone="0120-000-000",
                                  window_hours="9:00～18:00")
    return incident


def task(incident, key):
    return incident.tasks.get(key=key)


def test_the_first_publication_completes_the_public_notice_task(ready, user):
    actions.do_publish_notice(ready, actor=user)
    assert task(ready, "public_notice").status == "done"


def test_the_completion_is_an_audited_task_event(ready, user):
    actions.do_publish_notice(ready, actor=user)
    event = AuditEvent.objects.get(action="task.complete")
    assert event.details["task_id"] == task(ready, "public_notice").pk


def test_the_timeline_says_which_version_was_published(ready, user):
    actions.do_publish_notice(ready, actor=user)
    entry = ready.timeline.filter(kind="action").order_by("-id").first()
    assert "公表文（第一報）を公表" in entry.text


def test_the_publish_event_names_the_task_it_moved(ready, user):
    actions.do_publish_notice(ready, actor=user)
    event = AuditEvent.objects.get(action="notice.publish")
    assert event.details["tasks"] == {str(task(ready, "public_notice").pk): "done"}


def test_a_second_version_leaves_the_done_task_alone(ready, user):
    actions.do_publish_notice(ready, actor=user)
    actions.do_publish_notice(ready, actor=user)
    assert AuditEvent.objects.filter(action="task.complete").count() == 1


def test_a_task_marked_not_needed_stays_as_decided(ready, user):
    task_actions.do_update_task(task(ready, "public_notice"), status="not_needed", actor=user)
    actions.do_publish_notice(ready, actor=user)
    assert task(ready, "public_notice").status == "not_needed"


def test_a_card_leaks_coordination_task_is_started(ready, user):
    from rouei.playbooks.models import Task

    Task.objects.create(incident=ready, key="card_publication", order=99,
                        title="カード情報漏えいの公表内容と時期の調整")
    actions.do_publish_notice(ready, actor=user)
    assert task(ready, "card_publication").status == "in_progress"
