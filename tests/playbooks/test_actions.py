"""Tasks from playbooks: created with the incident, due dates from the deadlines and moving with
them, updated and completed through audited actions, roles enforced."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from rouei.core.access import RoleForbidden
from rouei.core.audit import verify_chain
from rouei.core.errors import ActionError
from rouei.core.models import AuditEvent
from rouei.incidents import actions as incident_actions
from rouei.incidents.models import TimelineEvent
from rouei.playbooks import actions
from rouei.playbooks.models import Playbook, Task
from tests.playbooks.conftest import FACTS_ACCESS, FACTS_MISSENT

pytestmark = pytest.mark.django_db


def _task(incident, key: str) -> Task:
    return incident.tasks.get(key=key)


def _audit(incident) -> list[str]:
    return list(AuditEvent.objects.filter(incident_id=incident.pk)
                .order_by("sequence").values_list("action", flat=True))


def _update_facts(incident, facts, user):
    incident.refresh_from_db()
    return incident_actions.do_update_facts(incident, facts, expected_version=incident.version,
                                            actor=user)


# --- created with the incident ------------------------------------------------------------

def test_new_unauthorised_access_incident_gets_its_playbook_with_due_dates(access_incident,
                                                                            user):
    keys = set(access_incident.tasks.values_list("key", flat=True))
    assert {"isolate_systems", "preserve_evidence", "start_forensics", "consult_counsel",
            "preliminary_report", "notify_individuals", "contact_window", "public_notice",
            "final_report", "recurrence_prevention", "block_intrusion",
            "police_report"} <= keys
    assert "recipient_delete" not in keys  # the mis-sent playbook's
    final = _task(access_incident, "final_report")
    assert final.due_date == dt.date(2027, 1, 22)  # knew 2026-11-24, 60 days
    assert final.title == "個人情報保護委員会への確報" and final.role == "legal"
    assert final.status == "todo" and final.playbook_kind == "unauthorized_access"
    assert final.template.playbook.kind == "unauthorized_access"
    assert _task(access_incident, "preliminary_report").due_date == dt.date(2026, 11, 28)
    assert _task(access_incident, "isolate_systems").due_date == dt.date(2026, 11, 24)
    # The lead's own tasks are theirs; the others wait for a member of their role.
    assert _task(access_incident, "recurrence_prevention").owner == user
    assert final.owner is None


def test_new_incident_tasks_are_covered_by_its_one_audit_event(access_incident):
    assert _audit(access_incident) == ["incident.create"]
    event = AuditEvent.objects.get(incident_id=access_incident.pk)
    assert event.details["tasks"] == access_incident.tasks.count()
    assert verify_chain() is None


def test_new_incident_without_facts_gets_the_general_playbook(open_incident):
    incident = open_incident({})
    assert {t.playbook_kind for t in incident.tasks.all()} == {"general"}
    assert incident.tasks.count() == 10
    # No day of knowing yet: no due dates.
    assert not incident.tasks.filter(due_date__isnull=False).exists()


@pytest.mark.parametrize(("cause", "key"), [("misdelivery", "recipient_delete"),
                                            ("lost_device", "remote_wipe"),
                                            ("theft", "police_report"),
                                            ("ransomware", "restore_backups"),
                                            ("insider_theft", "criminal_complaint"),
                                            ("vendor", "contact_vendor")])
def test_new_incident_gets_what_its_kind_needs(open_incident, cause, key):
    incident = open_incident({"cause": cause, "knew_at": "2026-11-24"})
    assert incident.tasks.filter(key=key).exists()


# --- due dates move with the deadlines ------------------------------------------------------

def test_facts_change_moves_the_due_date_and_says_so_on_the_timeline(missent_incident, user):
    final = _task(missent_incident, "final_report")
    assert final.due_date == dt.date(2026, 12, 23)  # mis-sent: 30 days
    result = _update_facts(missent_incident, {**FACTS_MISSENT, "cause": "unauthorized_access",
                                              "malicious": True}, user)
    assert result.saved
    final.refresh_from_db()
    assert final.due_date == dt.date(2027, 1, 22)  # unauthorised access: 60 days
    entry = TimelineEvent.objects.get(incident=missent_incident, kind="duty_change")
    assert ("タスク「個人情報保護委員会への確報」の期限: 2026年12月23日（水） → 2027年1月22日（金）"
            in entry.text)
    assert "Task “Final report (確報) to the PPC” due: Wed 23 Dec 2026 → Fri 22 Jan 2027" in (
        entry.text_in("en"))
    audit = AuditEvent.objects.filter(incident_id=missent_incident.pk).latest("sequence")
    assert audit.action == "facts.update" and final.pk in audit.details["tasks_moved"]


def test_facts_change_leaves_a_hand_set_due_date_alone(missent_incident, user):
    final = _task(missent_incident, "final_report")
    actions.do_update_task(final, due_date=dt.date(2026, 12, 18),
                           due_reason="社内決裁に5日かかるため前倒し", actor=user)
    prevention = _task(missent_incident, "recurrence_prevention")
    _update_facts(missent_incident, {**FACTS_MISSENT, "cause": "unauthorized_access",
                                     "malicious": True}, user)
    final.refresh_from_db()
    prevention.refresh_from_db()
    assert final.due_date == dt.date(2026, 12, 18) and final.due_overridden
    assert prevention.due_date == dt.date(2027, 1, 17)  # follows its rule: 確報 − 5 days
    entry = TimelineEvent.objects.get(incident=missent_incident, kind="duty_change")
    assert "個人情報保護委員会への確報」の期限" not in entry.text
    assert "再発防止策の策定" in entry.text


def test_facts_change_leaves_done_tasks_alone(missent_incident, user):
    final = _task(missent_incident, "final_report")
    actions.do_complete_task(final, actor=user)
    _update_facts(missent_incident, {**FACTS_MISSENT, "cause": "unauthorized_access",
                                     "malicious": True}, user)
    final.refresh_from_db()
    assert final.due_date == dt.date(2026, 12, 23)
    # Reopened, it catches up with the deadlines.
    actions.do_update_task(final, status="in_progress", actor=user)
    final.refresh_from_db()
    assert final.due_date == dt.date(2027, 1, 22) and final.completed_at is None


def test_facts_change_without_deadline_change_moves_nothing(access_incident, user):
    _update_facts(access_incident, {**FACTS_ACCESS, "people_confirmed": 250}, user)
    assert not TimelineEvent.objects.filter(incident=access_incident,
                                            kind="duty_change").exists()


def test_knowing_the_day_sets_the_due_dates(open_incident, user):
    incident = open_incident({})
    _update_facts(incident, FACTS_ACCESS, user)
    assert _task(incident, "final_report").due_date == dt.date(2027, 1, 22)
    entry = TimelineEvent.objects.get(incident=incident, kind="duty_change")
    assert "タスク「個人情報保護委員会への確報」の期限: 未定 → 2027年1月22日（金）" in entry.text


# --- updating and completing ----------------------------------------------------------------

def test_do_complete_task_records_who_and_when(access_incident, user, member):
    legal = member(access_incident, "legal")
    task = _task(access_incident, "consult_counsel")
    done = actions.do_complete_task(task, actor=legal)
    assert done.status == "done" and done.completed_by == legal and done.completed_at
    assert _audit(access_incident)[-1] == "task.complete"
    with pytest.raises(ActionError) as again:
        actions.do_complete_task(task, actor=legal)
    assert again.value.code == "already_done"


def test_do_complete_task_by_a_viewer_is_refused(access_incident, member):
    viewer = member(access_incident, "viewer")
    task = _task(access_incident, "consult_counsel")
    with pytest.raises(RoleForbidden):
        actions.do_complete_task(task, actor=viewer)
    task.refresh_from_db()
    assert task.status == "todo"


def test_do_complete_task_by_a_non_member_is_refused(access_incident, outsider):
    with pytest.raises(PermissionDenied):
        actions.do_complete_task(_task(access_incident, "consult_counsel"), actor=outsider)


@pytest.mark.parametrize("name", ["update", "complete", "create_from_playbook"])
def test_each_task_action_records_exactly_one_audit_event(access_incident, user, name):
    before = AuditEvent.objects.count()
    task = _task(access_incident, "consult_counsel")
    {"update": lambda: actions.do_update_task(task, status="in_progress", actor=user),
     "complete": lambda: actions.do_complete_task(task, actor=user),
     "create_from_playbook": lambda: actions.do_create_tasks_from_playbook(
         access_incident, Playbook.objects.get(kind="vendor"), actor=user)}[name]()
    events = list(AuditEvent.objects.order_by("sequence")[before:])
    assert len(events) == 1
    assert events[0].incident_id == access_incident.pk and events[0].actor == user
    assert events[0].action == {"update": "task.update", "complete": "task.complete",
                                "create_from_playbook": "tasks.create"}[name]
    assert verify_chain() is None


def test_do_update_task_owner_must_be_a_member(access_incident, user, member, outsider):
    task = _task(access_incident, "final_report")
    legal = member(access_incident, "legal")
    assert actions.do_update_task(task, owner=legal, actor=user).owner == legal
    with pytest.raises(ActionError) as refused:
        actions.do_update_task(task, owner=outsider, actor=user)
    assert refused.value.code == "owner_not_member"


def test_do_update_task_due_date_override_needs_a_reason(access_incident, user):
    task = _task(access_incident, "final_report")
    with pytest.raises(ActionError) as refused:
        actions.do_update_task(task, due_date=dt.date(2027, 1, 15), actor=user)
    assert refused.value.code == "reason_required"
    task.refresh_from_db()
    assert task.due_date == dt.date(2027, 1, 22) and not task.due_overridden


def test_do_update_task_follow_rule_again(access_incident, user):
    task = _task(access_incident, "final_report")
    actions.do_update_task(task, due_date=dt.date(2027, 1, 15), due_reason="前倒し", actor=user)
    task = actions.do_update_task(task, follow_rule=True, actor=user)
    assert task.due_date == dt.date(2027, 1, 22)
    assert not task.due_overridden and task.due_override_reason == ""


def test_do_update_task_that_changes_nothing_records_nothing(access_incident, user):
    task = _task(access_incident, "final_report")
    before = AuditEvent.objects.count()
    actions.do_update_task(task, status="todo", due_date=task.due_date, actor=user)
    assert AuditEvent.objects.count() == before


def test_do_update_task_not_needed_clears_completion(access_incident, user):
    task = _task(access_incident, "isolate_systems")
    actions.do_complete_task(task, actor=user)
    task = actions.do_update_task(task, status="not_needed", actor=user)
    assert task.status == "not_needed" and task.completed_at is None


# --- re-running a playbook ------------------------------------------------------------------

def test_do_create_tasks_from_playbook_adds_only_the_missing(access_incident, user):
    before = access_incident.tasks.count()
    added = actions.do_create_tasks_from_playbook(
        access_incident, Playbook.objects.get(kind="vendor"), actor=user)
    assert {t.key for t in added} == {"contact_vendor", "vendor_report", "vendor_contract"}
    assert access_incident.tasks.count() == before + 3
    vendor_report = _task(access_incident, "vendor_report")
    assert vendor_report.due_date == dt.date(2027, 1, 12)  # 確報 − 10 days
    assert actions.do_create_tasks_from_playbook(
        access_incident, Playbook.objects.get(kind="vendor"), actor=user) == []


def test_do_create_tasks_from_playbook_default_follows_the_facts(open_incident, user):
    incident = open_incident({})
    _update_facts(incident, {"cause": "lost_device", "knew_at": "2026-11-24"}, user)
    added = actions.do_create_tasks_from_playbook(incident, actor=user)
    assert {t.key for t in added} == {"remote_wipe", "police_report", "device_encryption"}


def test_do_create_tasks_from_playbook_restores_a_removed_task_after_a_template_edit(
        access_incident, user):
    # A template added by an administrator later reaches existing incidents on a re-run.
    playbook = Playbook.objects.get(kind="unauthorized_access")
    playbook.templates.create(key="notify_card_companies", order=36, title="カード会社への連絡",
                              title_en="Tell the card companies", role="legal",
                              due_rule="knew", due_offset_days=2)
    added = actions.do_create_tasks_from_playbook(access_incident, actor=user)
    assert [t.key for t in added] == ["notify_card_companies"]
    assert added[0].due_date == dt.date(2026, 11, 26)


def test_do_create_tasks_from_playbook_is_for_the_lead(access_incident, member):
    legal = member(access_incident, "legal")
    with pytest.raises(RoleForbidden):
        actions.do_create_tasks_from_playbook(access_incident, actor=legal)


# --- proposed tasks (the playbooks the facts point to now) ------------------------------------

@pytest.fixture
def cause_now_misdelivery(open_incident, user):
    incident = open_incident({"items": ["person_name"], "knew_at": "2026-11-24"})
    _update_facts(incident, {"items": ["person_name"], "knew_at": "2026-11-24",
                             "cause": "misdelivery"}, user)
    return incident


def test_add_proposed_tasks_one_key_adds_that_task(cause_now_misdelivery, user):
    created = actions.do_add_proposed_tasks(cause_now_misdelivery, ["sending_scope"],
                                            actor=user)
    assert [t.key for t in created] == ["sending_scope"]


def test_add_proposed_tasks_all_adds_every_proposal_once(cause_now_misdelivery, user):
    actions.do_add_proposed_tasks(cause_now_misdelivery, actor=user)
    again = actions.do_add_proposed_tasks(cause_now_misdelivery, actor=user)
    assert again == []
    assert cause_now_misdelivery.tasks.filter(key="recipient_delete").count() == 1


def test_add_proposed_tasks_is_one_audit_event_with_the_ids(cause_now_misdelivery, user):
    created = actions.do_add_proposed_tasks(cause_now_misdelivery, actor=user)
    event = AuditEvent.objects.filter(incident_id=cause_now_misdelivery.pk).latest("sequence")
    assert (event.action, event.details["tasks"]) == ("tasks.add_proposed",
                                                      [t.pk for t in created])


def test_add_proposed_tasks_nothing_proposed_records_nothing(access_incident, user):
    before = _audit(access_incident)
    assert actions.do_add_proposed_tasks(access_incident, actor=user) == []
    assert _audit(access_incident) == before


def test_add_proposed_tasks_key_not_proposed_adds_nothing(cause_now_misdelivery, user):
    assert actions.do_add_proposed_tasks(cause_now_misdelivery, ["block_intrusion"],
                                         actor=user) == []


def test_add_proposed_tasks_by_a_member_without_manage_is_refused(cause_now_misdelivery,
                                                                  member):
    legal = member(cause_now_misdelivery, "legal")
    with pytest.raises(RoleForbidden):
        actions.do_add_proposed_tasks(cause_now_misdelivery, actor=legal)


def test_added_proposed_task_is_due_by_the_current_deadlines(cause_now_misdelivery, user):
    [task] = actions.do_add_proposed_tasks(cause_now_misdelivery, ["recipient_delete"],
                                           actor=user)
    assert task.due_date == dt.date(2026, 11, 24)  # rule: the day the company knew


def test_reopening_a_task_set_aside_clears_its_reason(missent_incident, user):
    _update_facts(missent_incident, {**FACTS_MISSENT, "cause": "theft"}, user)
    assert _task(missent_incident, "recipient_delete").not_needed_reason  # set aside, with why
    task = actions.do_update_task(_task(missent_incident, "recipient_delete"),
                                  status="in_progress", actor=user)
    assert (task.status, task.not_needed_reason, task.not_needed_reason_en,
            task.not_needed_code) == ("in_progress", "", "", "")
