"""Tasks from playbooks and their due dates, inside the transaction of an incident action.

The incident actions announce what happened (``rouei.core.incident_apps``); this app's
reactions (registered in ``apps.py``) run in the announcing action's transaction, and its
audit event covers what they do here:

- ``on_incident_created`` — ``do_create_incident``: the playbook the facts point to, its tasks
  with due dates from the first assessment;
- ``on_facts_changed`` — ``do_update_facts``: open tasks that no longer apply (the facts point
  to another playbook, or a duty ended) are marked 不要 with the reason; the new playbook's
  missing tasks are proposed (``proposals``; a member adds them); open tasks that follow a rule
  and were not set by hand get the due date the new assessment gives; all of it is said in lines
  of the timeline entry;
- ``on_member_removed`` — ``do_remove_member``: the removed member's open tasks lose their
  owner.

``add_playbook_tasks`` is shared with ``actions.do_create_tasks_from_playbook`` (a lead adding a
playbook's missing tasks later).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import ngettext

from rouei.core.access import Role
from rouei.core.incident_apps import Reaction
from rouei.domain.jdates import format_date
from rouei.incidents.models import AssessmentSnapshot, Incident
from rouei.playbooks import initial, proposals
from rouei.playbooks.choices import OPEN_STATUSES, DueRule, TaskStatus
from rouei.playbooks.due import Deadlines, due_date
from rouei.playbooks.models import Playbook, Task, TaskTemplate
from rouei.playbooks.selection import kind_for_facts, kinds_for_facts


def _require_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("run inside the transaction of the incident action")


def deadlines_of(snapshot: AssessmentSnapshot | None) -> Deadlines:
    return Deadlines.from_assessment(snapshot.assessment if snapshot else None)


def suggested_playbook(incident: Incident, snapshot: AssessmentSnapshot | None = None
                       ) -> Playbook | None:
    """The playbook the incident's latest facts point to (``None`` if it was removed)."""
    snapshot = snapshot or incident.latest_snapshot()
    facts = snapshot.facts_version.facts if snapshot else {}
    return Playbook.objects.filter(kind=kind_for_facts(facts)).first()


def _facts_of(snapshot: AssessmentSnapshot | None) -> dict:
    return snapshot.facts_version.facts if snapshot else {}


def playbooks_for(facts: dict) -> list[Playbook]:
    """Every playbook the facts point to (the cause's, then the card steps), as stored."""
    kinds = kinds_for_facts(facts)
    found = {p.kind: p for p in Playbook.objects.filter(kind__in=kinds)}
    return [found[k] for k in kinds if k in found]


def duties_of(snapshot: AssessmentSnapshot | None) -> proposals.Duties | None:
    if snapshot is None:
        return None
    assessment = snapshot.assessment
    return proposals.Duties(assessment.report_required, assessment.notify_required)


def proposed_templates(incident: Incident, snapshot: AssessmentSnapshot | None = None
                       ) -> list[TaskTemplate]:
    """The tasks of the playbooks the latest facts point to that the incident does not have
    (``proposals.proposals``), in the playbooks' order."""
    snapshot = snapshot or incident.latest_snapshot()
    playbooks = playbooks_for(_facts_of(snapshot))
    # One query for every playbook's templates (the incident page asks on each view), in the
    # playbooks' order, each playbook's by its own order.
    rank = {playbook.pk: n for n, playbook in enumerate(playbooks)}
    templates = sorted(TaskTemplate.objects.filter(playbook__in=playbooks).order_by("order", "id"),
                       key=lambda t: rank[t.playbook_id])
    for template in templates:
        template.playbook = playbooks[rank[template.playbook_id]]
    by_ref = {}
    for template in templates:
        by_ref.setdefault(template.key, template)
    refs = [proposals.TemplateRef(t.playbook.kind, t.key, t.title, t.title_en)
            for t in templates]
    duties = duties_of(snapshot) or proposals.Duties(None, None)
    have = incident.tasks.exclude(key="").values_list("key", flat=True)
    return [by_ref[ref.key] for ref in proposals.proposals(refs, have, duties)]


def _ensure_playbooks() -> None:
    """Migration 0002 loads the shipped playbooks; a database emptied since (``flush``, or a
    test that flushes its tables) gets them again on the next new incident. Playbooks cannot be
    deleted from the pages, so an empty table is never an administrator's choice."""
    if not Playbook.objects.exists():
        initial.install(Playbook, TaskTemplate)


def add_playbook_tasks(incident: Incident, playbook: Playbook,
                       snapshot: AssessmentSnapshot | None, *, actor) -> list[Task]:
    """The playbook's tasks the incident does not have yet (by key), due by the assessment.

    Tasks for the lead's role go to ``actor`` when they are the lead; the others wait for an
    owner from their role.
    """
    return add_template_tasks(incident, playbook.templates.order_by("order", "id"), snapshot,
                              actor=actor)


def add_template_tasks(incident: Incident, templates, snapshot: AssessmentSnapshot | None, *,
                       actor) -> list[Task]:
    """A task for each template whose key the incident has no task for, due by the assessment
    (``add_playbook_tasks`` for the owners)."""
    _require_transaction()
    deadlines = deadlines_of(snapshot)
    have = set(incident.tasks.exclude(key="").values_list("key", flat=True))
    lead_is_actor = incident.memberships.filter(user=actor, role=Role.LEAD).exists()
    created = []
    for template in templates:
        if template.key in have:
            continue
        created.append(Task.objects.create(
            incident=incident, template=template, playbook_kind=template.playbook.kind,
            key=template.key, order=template.order, title=template.title,
            title_en=template.title_en, description=template.description,
            description_en=template.description_en, role=template.role,
            owner=actor if template.role == Role.LEAD and lead_is_actor else None,
            due_rule=template.due_rule, due_offset_days=template.due_offset_days,
            due_date=due_date(template.due_rule, template.due_offset_days, deadlines)))
        have.add(template.key)
    return created


def create_initial_tasks(incident: Incident, snapshot: AssessmentSnapshot, *,
                         actor) -> list[Task]:
    """For a new incident: the tasks of the playbooks its facts point to (the cause's, and the
    card steps when card numbers are involved)."""
    _ensure_playbooks()
    created = []
    for playbook in playbooks_for(_facts_of(snapshot)):
        created += add_playbook_tasks(incident, playbook, snapshot, actor=actor)
    return created


@dataclass(frozen=True)
class DueMove:
    """A task whose due date the new deadlines moved."""

    task_id: int
    title: str
    title_en: str
    before: dt.date | None
    after: dt.date | None

    def text(self, lang: str) -> str:
        before = format_date(self.before, lang) if self.before else None
        after = format_date(self.after, lang) if self.after else None
        if lang == "ja":
            return (f"タスク「{self.title}」の期限: {before or '未定'} → {after or '未定'}"
                    "（期限の変更による）")
        return (f"Task “{self.title_en or self.title}” due: {before or 'not set'} → "
                f"{after or 'not set'} (the deadlines moved)")

    def to_dict(self) -> dict:
        """In the shape of the timeline's messages (``DutyChange.to_dict``)."""
        return {"code": "task_due_moved", "ja": self.text("ja"), "en": self.text("en"),
                "task_id": self.task_id}


def reschedule_tasks(incident: Incident, snapshot: AssessmentSnapshot) -> list[DueMove]:
    """Move the due dates of open, rule-following, not hand-set tasks to the new deadlines."""
    _require_transaction()
    deadlines = deadlines_of(snapshot)
    moves = []
    tasks = (incident.tasks.select_for_update()
             .filter(status__in=OPEN_STATUSES, due_overridden=False)
             .exclude(due_rule=DueRule.NONE).order_by("order", "id"))
    for task in tasks:
        new = due_date(task.due_rule, task.due_offset_days, deadlines)
        if new == task.due_date:
            continue
        moves.append(DueMove(task.pk, task.title, task.title_en, task.due_date, new))
        task.due_date = new
        task.save(update_fields=["due_date", "updated_at"])
    return moves


def set_aside_tasks(incident: Incident, snapshot: AssessmentSnapshot,
                    previous: AssessmentSnapshot | None) -> list[proposals.NoLongerApplies]:
    """Mark 不要, with the reason, the open tasks the new facts or duties make unnecessary
    (``proposals.no_longer_apply``). Never deletes one; reopening it clears the reason."""
    _require_transaction()
    if previous is None:
        return []
    new_playbooks = playbooks_for(_facts_of(snapshot))
    new_keys = set(TaskTemplate.objects.filter(playbook__in=new_playbooks)
                   .values_list("key", flat=True))
    tasks = {t.pk: t for t in incident.tasks.select_for_update()
             .filter(status__in=OPEN_STATUSES).order_by("order", "id")}
    refs = [proposals.TaskRef(t.pk, t.key, t.playbook_kind, t.title, t.title_en)
            for t in tasks.values()]
    names = ("・".join(p.name for p in new_playbooks),
             " + ".join(p.name_en or p.name for p in new_playbooks))
    found = proposals.no_longer_apply(
        refs, old_kinds=kinds_for_facts(_facts_of(previous)),
        new_kinds=kinds_for_facts(_facts_of(snapshot)), new_keys=new_keys,
        duties_before=duties_of(previous), duties_after=duties_of(snapshot), playbooks=names)
    for item in found:
        task = tasks[item.task.task_id]
        task.status = TaskStatus.NOT_NEEDED
        task.not_needed_code = item.reason
        task.not_needed_reason = item.reason_text("ja")
        task.not_needed_reason_en = item.reason_text("en")
        task.save(update_fields=["status", "not_needed_code", "not_needed_reason",
                                 "not_needed_reason_en", "updated_at"])
    return found


def reopen_tasks(incident: Incident, snapshot: AssessmentSnapshot
                 ) -> list[proposals.AppliesAgain]:
    """Reopen the tasks rouei set aside that the new facts make necessary again
    (``proposals.apply_again``), due by the current deadlines."""
    _require_transaction()
    duties = duties_of(snapshot)
    tasks = {t.pk: t for t in incident.tasks.select_for_update()
             .filter(status=TaskStatus.NOT_NEEDED).exclude(not_needed_code="")
             .order_by("order", "id")}
    if not tasks or duties is None:
        return []
    new_keys = set(TaskTemplate.objects.filter(playbook__in=playbooks_for(_facts_of(snapshot)))
                   .values_list("key", flat=True))
    refs = [proposals.SetAsideRef(t.pk, t.key, t.not_needed_code, t.title, t.title_en)
            for t in tasks.values()]
    found = proposals.apply_again(refs, new_keys=new_keys, duties_after=duties)
    deadlines = deadlines_of(snapshot)
    for item in found:
        task = tasks[item.task.task_id]
        task.status = TaskStatus.TODO
        task.not_needed_code = task.not_needed_reason = task.not_needed_reason_en = ""
        if task.follows_rule:
            task.due_date = due_date(task.due_rule, task.due_offset_days, deadlines)
        task.save(update_fields=["status", "not_needed_code", "not_needed_reason",
                                 "not_needed_reason_en", "due_date", "updated_at"])
    return found


def rule_due_date(task: Task) -> dt.date | None:
    """The date the task's rule gives with the incident's current deadlines."""
    return due_date(task.due_rule, task.due_offset_days,
                    deadlines_of(task.incident.latest_snapshot()))


def open_tasks_of(incident: Incident, user):
    """The open tasks of ``incident`` that ``user`` owns."""
    return incident.tasks.filter(owner=user, status__in=OPEN_STATUSES)


def release_tasks(incident: Incident, user) -> list[int]:
    """Open tasks of ``incident`` owned by ``user`` lose their owner; their ids, in order."""
    _require_transaction()
    ids = list(open_tasks_of(incident, user).select_for_update()
               .order_by("order", "id").values_list("pk", flat=True))
    for task in Task.objects.filter(pk__in=ids):
        task.owner = None
        task.save(update_fields=["owner", "updated_at"])
    return ids


# --- reactions to the incident app's announcements (registered in apps.py) --------------------


def on_incident_created(*, incident: Incident, snapshot: AssessmentSnapshot, actor) -> Reaction:
    tasks = create_initial_tasks(incident, snapshot, actor=actor)
    return Reaction(audit_details={"tasks": len(tasks)})


def on_facts_changed(*, incident: Incident, snapshot: AssessmentSnapshot, previous, actor
                     ) -> Reaction:
    set_aside = set_aside_tasks(incident, snapshot, previous)
    reopened = reopen_tasks(incident, snapshot)
    moved = reschedule_tasks(incident, snapshot)
    lines = ([s.to_dict() for s in set_aside] + [r.to_dict() for r in reopened]
             + [m.to_dict() for m in moved])
    details = {"tasks_moved": [m.task_id for m in moved]}
    if set_aside:
        details["tasks_not_needed"] = [s.task.task_id for s in set_aside]
    if reopened:
        details["tasks_reopened"] = [r.task.task_id for r in reopened]
    # Proposed when the playbooks the facts point to change (a duty that returns, too):
    # said once on the timeline, shown on the pages until added.
    if previous is not None and (
            kinds_for_facts(_facts_of(previous)) != kinds_for_facts(_facts_of(snapshot))
            or duties_of(snapshot).resumed_since(duties_of(previous))):
        proposed = proposed_templates(incident, snapshot)
        if proposed:
            refs = tuple(proposals.TemplateRef(t.playbook.kind, t.key, t.title, t.title_en)
                         for t in proposed)
            lines.append(proposals.Proposed(refs).to_dict())
            details["tasks_proposed"] = [t.key for t in proposed]
    return Reaction(timeline_lines=lines, audit_details=details)


def on_member_removed(*, incident: Incident, user, actor) -> Reaction:
    released = release_tasks(incident, user)
    notices = [ngettext("Their open task (%(count)s) has no owner now.",
                        "Their open tasks (%(count)s) have no owner now.", len(released))
               % {"count": len(released)}] if released else []
    return Reaction(audit_details={"tasks_unassigned": released}, notices=notices)


def preview_member_removal(*, incident: Incident, user) -> list[str]:
    count = open_tasks_of(incident, user).count()
    return [ngettext("Their open task (%(count)s) will have no owner.",
                     "Their open tasks (%(count)s) will have no owner.", count)
            % {"count": count}] if count else []


# The task that stands for the notice to individuals (本人通知, 規則10条) until the notices get a
# register of their own (issue 12): the duty counts as done when this task is done.
NOTICE_TASK_KEY = "notify_individuals"


def duty_inputs(incident) -> dict:
    """This app's part of a case's open duties: the notice task's state and the open tasks."""
    tasks = incident.tasks.all()
    notice = tasks.filter(key=NOTICE_TASK_KEY).values_list("status", flat=True)
    return {"notice_done": any(s not in OPEN_STATUSES for s in notice),
            "open_tasks": tasks.filter(status__in=OPEN_STATUSES).count()}
