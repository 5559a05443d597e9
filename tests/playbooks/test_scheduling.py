"""Playbooks follow the facts (scheduling's reaction to a facts change): the new playbook's
missing tasks proposed, tasks that no longer apply marked 不要 with the reason, never deleted;
one audit event for the facts save."""

from __future__ import annotations

import pytest

from rouei.core.models import AuditEvent
from rouei.incidents import actions as incident_actions
from rouei.incidents.choices import TimelineKind
from rouei.playbooks import actions, scheduling
from tests.playbooks.conftest import FACTS_ACCESS, FACTS_MISSENT, KNEW

pytestmark = pytest.mark.django_db

# Cause not known yet: the general playbook.
FACTS_UNKNOWN_CAUSE = {"items": ["person_name", "health"], "people_confirmed": 3,
                       "knew_at": KNEW, "malicious": False}
# A mis-sent e-mail with names only, to three people: no trigger, no report, no notice.
FACTS_MISSENT_NAMES = {**FACTS_MISSENT, "items": ["person_name"]}


def _update(incident, facts, user):
    incident.refresh_from_db()
    return incident_actions.do_update_facts(incident, facts, expected_version=incident.version,
                                            actor=user)


def _last_lines(incident) -> list[dict]:
    entry = incident.timeline.filter(kind=TimelineKind.DUTY_CHANGE).latest("id")
    return entry.data["messages"]


def _last_audit(incident) -> AuditEvent:
    return AuditEvent.objects.filter(incident_id=incident.pk).latest("sequence")


@pytest.fixture
def unknown_cause_incident(open_incident):
    return open_incident(FACTS_UNKNOWN_CAUSE, title="健康診断結果の漏えい（原因調査中）")


# --- the cause changes: proposals -------------------------------------------------------------

def test_cause_now_misdelivery_proposes_the_recipient_deletion(unknown_cause_incident, user):
    _update(unknown_cause_incident, FACTS_MISSENT, user)
    keys = [t.key for t in scheduling.proposed_templates(unknown_cause_incident)]
    assert keys == ["recipient_delete", "sending_scope"]


def test_cause_now_misdelivery_adds_no_task_by_itself(unknown_cause_incident, user):
    _update(unknown_cause_incident, FACTS_MISSENT, user)
    assert not unknown_cause_incident.tasks.filter(key="recipient_delete").exists()


def test_cause_now_misdelivery_says_the_proposal_on_the_timeline(unknown_cause_incident, user):
    _update(unknown_cause_incident, FACTS_MISSENT, user)
    [line] = [m for m in _last_lines(unknown_cause_incident) if m["code"] == "tasks_proposed"]
    assert "「誤送付先への削除依頼と削除の確認」" in line["ja"]


def test_cause_now_misdelivery_is_one_audit_event_with_the_proposals(unknown_cause_incident,
                                                                      user):
    before = AuditEvent.objects.count()
    _update(unknown_cause_incident, FACTS_MISSENT, user)
    assert AuditEvent.objects.count() == before + 1
    assert _last_audit(unknown_cause_incident).details["tasks_proposed"] == [
        "recipient_delete", "sending_scope"]


def test_facts_change_without_playbook_change_proposes_nothing(missent_incident, user):
    _update(missent_incident, {**FACTS_MISSENT, "people_confirmed": 5}, user)
    assert "tasks_proposed" not in _last_audit(missent_incident).details


def test_new_incident_has_nothing_proposed(missent_incident):
    assert scheduling.proposed_templates(missent_incident) == []


# --- the cause changes: tasks that no longer apply ---------------------------------------------

def test_cause_no_longer_misdelivery_marks_its_own_task_not_needed(missent_incident, user):
    _update(missent_incident, {**FACTS_MISSENT, "cause": "unauthorized_access"}, user)
    task = missent_incident.tasks.get(key="recipient_delete")
    assert task.status == "not_needed"


def test_cause_no_longer_misdelivery_records_the_reason_on_the_task(missent_incident, user):
    _update(missent_incident, {**FACTS_MISSENT, "cause": "unauthorized_access"}, user)
    task = missent_incident.tasks.get(key="recipient_delete")
    assert "不正アクセス" in task.not_needed_reason


def test_cause_no_longer_misdelivery_keeps_the_shared_tasks_open(missent_incident, user):
    _update(missent_incident, {**FACTS_MISSENT, "cause": "unauthorized_access"}, user)
    assert missent_incident.tasks.get(key="isolate_systems").status == "todo"


def test_cause_no_longer_misdelivery_keeps_a_done_task_done(missent_incident, user):
    actions.do_complete_task(missent_incident.tasks.get(key="recipient_delete"), actor=user)
    _update(missent_incident, {**FACTS_MISSENT, "cause": "unauthorized_access"}, user)
    assert missent_incident.tasks.get(key="recipient_delete").status == "done"


def test_cause_no_longer_misdelivery_says_it_and_audits_the_ids(missent_incident, user):
    task = missent_incident.tasks.get(key="recipient_delete")
    _update(missent_incident, {**FACTS_MISSENT, "cause": "unauthorized_access"}, user)
    lines = [m for m in _last_lines(missent_incident) if m["code"] == "task_not_needed"]
    assert [m["task_id"] for m in lines] == [
        task.pk, missent_incident.tasks.get(key="sending_scope").pk]
    assert task.pk in _last_audit(missent_incident).details["tasks_not_needed"]


def test_cause_no_longer_misdelivery_deletes_no_task(missent_incident, user):
    count = missent_incident.tasks.count()
    _update(missent_incident, {**FACTS_MISSENT, "cause": "unauthorized_access"}, user)
    # The access playbook's own tasks are proposed, not added; none removed.
    assert missent_incident.tasks.count() == count


# --- the duties change ---------------------------------------------------------------------

def test_report_no_longer_required_marks_the_report_tasks_not_needed(missent_incident, user):
    _update(missent_incident, FACTS_MISSENT_NAMES, user)
    statuses = dict(missent_incident.tasks.filter(
        key__in=["preliminary_report", "final_report"]).values_list("key", "status"))
    assert statuses == {"preliminary_report": "not_needed", "final_report": "not_needed"}


def test_notice_no_longer_required_marks_the_notice_task_not_needed(missent_incident, user):
    _update(missent_incident, FACTS_MISSENT_NAMES, user)
    task = missent_incident.tasks.get(key="notify_individuals")
    assert (task.status, task.not_needed_reason) == (
        "not_needed", "本人への通知が不要と判定されたため（法26条2項）")


def test_report_still_required_keeps_the_report_tasks_open(missent_incident, user):
    _update(missent_incident, {**FACTS_MISSENT, "people_confirmed": 5}, user)
    assert missent_incident.tasks.get(key="final_report").status == "todo"


def test_reopened_task_loses_the_reason_and_stays_open_on_the_next_save(missent_incident,
                                                                        user):
    _update(missent_incident, FACTS_MISSENT_NAMES, user)
    task = actions.do_update_task(missent_incident.tasks.get(key="final_report"),
                                  status="todo", actor=user)
    assert task.not_needed_reason == ""
    _update(missent_incident, {**FACTS_MISSENT_NAMES, "people_confirmed": 4}, user)
    assert missent_incident.tasks.get(key="final_report").status == "todo"


def test_report_required_again_proposes_nothing_already_on_the_incident(missent_incident,
                                                                        user):
    _update(missent_incident, FACTS_MISSENT_NAMES, user)
    _update(missent_incident, FACTS_MISSENT, user)
    assert scheduling.proposed_templates(missent_incident) == []


def test_report_required_again_reopens_the_tasks_rouei_set_aside(missent_incident, user):
    _update(missent_incident, FACTS_MISSENT_NAMES, user)
    _update(missent_incident, FACTS_MISSENT, user)
    task = missent_incident.tasks.get(key="final_report")
    assert (task.status, task.not_needed_reason) == ("todo", "")
    assert task.pk in _last_audit(missent_incident).details["tasks_reopened"]


def test_report_required_again_leaves_a_task_a_person_set_aside(missent_incident, user):
    actions.do_update_task(missent_incident.tasks.get(key="final_report"),
                           status="not_needed", actor=user)
    _update(missent_incident, FACTS_MISSENT_NAMES, user)
    _update(missent_incident, FACTS_MISSENT, user)
    assert missent_incident.tasks.get(key="final_report").status == "not_needed"


def test_cause_back_to_misdelivery_reopens_the_recipient_deletion(missent_incident, user):
    _update(missent_incident, {**FACTS_MISSENT, "cause": "unauthorized_access"}, user)
    _update(missent_incident, FACTS_MISSENT, user)
    assert missent_incident.tasks.get(key="recipient_delete").status == "todo"


# --- card data ------------------------------------------------------------------------------

CARD_STEPS = {"card_acquirer_contact", "pfi_investigation", "card_reissue", "card_publication"}


def test_new_card_leak_gets_the_card_steps(open_incident):
    incident = open_incident({**FACTS_ACCESS, "items": ["person_name", "credit_card"]})
    assert set(incident.tasks.values_list("key", flat=True)) >= CARD_STEPS


def test_new_leak_without_card_numbers_has_no_card_steps(access_incident):
    assert not access_incident.tasks.filter(key__in=CARD_STEPS).exists()


def test_card_numbers_found_later_propose_the_card_steps(access_incident, user):
    _update(access_incident, {**FACTS_ACCESS, "items": ["person_name", "credit_card"]}, user)
    assert {t.key for t in scheduling.proposed_templates(access_incident)} == CARD_STEPS


def test_card_numbers_ruled_out_mark_the_card_steps_not_needed(open_incident, user):
    incident = open_incident({**FACTS_ACCESS, "items": ["person_name", "credit_card"]})
    _update(incident, FACTS_ACCESS, user)
    statuses = set(incident.tasks.filter(key__in=CARD_STEPS).values_list("status", flat=True))
    assert statuses == {"not_needed"}
