"""Every write of the playbooks app: ``do_<verb>_<noun>(…, *, actor)``.

Each action checks the actor's right, runs in one transaction and records exactly one audit
event; an action that changes nothing records none. (Tasks created with an incident and due
dates moved by new facts are written by ``scheduling`` inside the incident actions, under
their audit event.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rouei.core.access import Need, require_role
from rouei.core.audit import record_event, state
from rouei.core.errors import ActionError
from rouei.incidents.actions import add_timeline_entry
from rouei.incidents.choices import TimelineKind
from rouei.incidents.models import Incident, Membership
from rouei.playbooks import scheduling
from rouei.playbooks.choices import CLOSED_STATUSES, DueRule, TaskStatus
from rouei.playbooks.due import MAX_OFFSET_DAYS
from rouei.playbooks.models import CalendarFeed, Playbook, Task, TaskTemplate

TASK_FIELDS = ("status", "owner", "due_date", "due_overridden", "completed_at", "completed_by")
PLAYBOOK_FIELDS = ("kind", "name", "name_en", "description", "description_en")
TEMPLATE_FIELDS = ("key", "order", "title", "title_en", "description", "description_en", "role",
                   "due_rule", "due_offset_days")
KEEP: Any = object()  # "leave as it is" for do_update_task's optional arguments


def do_create_tasks_from_playbook(incident: Incident, playbook: Playbook | None = None, *,
                                  actor) -> list[Task]:
    """Add the tasks of ``playbook`` (default: the one the latest facts point to) that the
    incident does not have yet. Lead only. Nothing missing: nothing saved, nothing recorded."""
    with transaction.atomic():
        # One re-run at a time per incident: the second finds the tasks the first added.
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        require_role(actor, incident, Need.MANAGE)
        playbook = playbook or scheduling.suggested_playbook(incident)
        if playbook is None:
            raise ActionError("no_playbook", _("There is no playbook for this kind of incident."))
        created = scheduling.add_playbook_tasks(incident, playbook,
                                                incident.latest_snapshot(), actor=actor)
        if created:
            record_event(actor=actor, action="tasks.create", obj=playbook,
                         incident_id=incident.pk,
                         after=[state(t, ("key", "role", "due_date")) for t in created],
                         details={"playbook": playbook.kind,
                                  "tasks": [t.pk for t in created]})
    return created


def do_add_proposed_tasks(incident: Incident, keys: list[str] | None = None, *,
                          actor) -> list[Task]:
    """Add the proposed tasks (``scheduling.proposed_templates``: the playbooks the facts
    point to, less what the incident has): those with ``keys``, or all of them. Lead or
    MANAGE. A key no longer proposed (someone added it meanwhile) is skipped; none left:
    nothing saved, nothing recorded."""
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        require_role(actor, incident, Need.MANAGE)
        snapshot = incident.latest_snapshot()
        proposed = scheduling.proposed_templates(incident, snapshot)
        if keys is not None:
            wanted = set(keys)
            proposed = [t for t in proposed if t.key in wanted]
        created = scheduling.add_template_tasks(incident, proposed, snapshot, actor=actor)
        if created:
            record_event(actor=actor, action="tasks.add_proposed", obj=incident,
                         incident_id=incident.pk,
                         after=[state(t, ("key", "role", "due_date")) for t in created],
                         details={"playbooks": sorted({t.playbook_kind for t in created}),
                                  "tasks": [t.pk for t in created]})
    return created


def _locked_task(task: Task, actor) -> Task:
    task = Task.objects.select_for_update().select_related("incident").get(pk=task.pk)
    require_role(actor, task.incident, Need.EDIT)
    return task


def _task_done_entry(task: Task, actor, note: str = ""):
    """A task just became done: a response-action entry on the incident's timeline, in both
    languages (with what was done, if said), written through the incident app (covered by the
    task's audit event)."""
    messages = {}
    for lang in ("ja", "en"):
        with translation.override(lang):
            title = task.title_en if lang == "en" and task.title_en else task.title
            messages[lang] = (_("Task “%(title)s” completed: %(note)s") if note
                              else _("Task “%(title)s” completed.")) % {"title": title,
                                                                        "note": note}
    return add_timeline_entry(task.incident, kind=TimelineKind.ACTION, at=task.completed_at,
                              text=messages["ja"], author=actor,
                              data={"task_id": task.pk, "messages": [messages]})


def _set_status(task: Task, status: TaskStatus, actor) -> None:
    if status == TaskStatus.DONE and task.status != TaskStatus.DONE:
        task.completed_at, task.completed_by = timezone.now(), actor
    elif status != TaskStatus.DONE:
        task.completed_at = task.completed_by = None
    if status != TaskStatus.NOT_NEEDED:
        # Reopened (or done after all): the reason it was set aside no longer stands.
        task.not_needed_reason = task.not_needed_reason_en = task.not_needed_code = ""
    if status not in CLOSED_STATUSES and task.status in CLOSED_STATUSES and task.follows_rule:
        # Reopened: while it was closed the deadlines may have moved without it.
        task.due_date = scheduling.rule_due_date(task)
    task.status = status


def do_update_task(task: Task, *, status: str = KEEP, owner=KEEP,
                   due_date: dt.date | None = KEEP, due_reason: str = "",
                   follow_rule: bool = False, actor) -> Task:
    """Change a task's status, owner (a member of the incident, or ``None``) or due date.

    A due date set by hand on a task that follows a rule needs a reason and stops the task
    following the deadlines; ``follow_rule=True`` puts it back on its rule.
    """
    with transaction.atomic():
        task = _locked_task(task, actor)
        before = state(task, TASK_FIELDS)
        changed = []
        if status is not KEEP and status != task.status:
            _set_status(task, TaskStatus(status), actor)
            changed.append("status")
        if owner is not KEEP and (owner.pk if owner else None) != task.owner_id:
            if owner is not None and not Membership.objects.filter(
                    incident_id=task.incident_id, user=owner).exists():
                raise ActionError("owner_not_member",
                                  _("The owner must be a member of this incident."))
            task.owner = owner
            changed.append("owner")
        if follow_rule and task.due_rule != DueRule.NONE:
            new = scheduling.rule_due_date(task)
            if task.due_overridden or new != task.due_date:
                task.due_date, task.due_overridden, task.due_override_reason = new, False, ""
                changed.append("due_date")
        elif due_date is not KEEP and due_date != task.due_date:
            if task.due_rule != DueRule.NONE:
                if not due_reason.strip():
                    raise ActionError("reason_required",
                                      _("Give the reason for changing the due date."))
                task.due_overridden = True
                task.due_override_reason = due_reason.strip()
            task.due_date = due_date
            changed.append("due_date")
        if not changed:
            return task
        task.save()
        details = {"task_id": task.pk, "changed": changed, "status": task.status,
                   "owner_id": task.owner_id, "due_overridden": task.due_overridden}
        if "status" in changed and task.status == TaskStatus.DONE:
            details["timeline_event"] = _task_done_entry(task, actor).pk
        record_event(actor=actor, action="task.update", obj=task, incident_id=task.incident_id,
                     before=before, after=state(task, TASK_FIELDS), details=details)
    return task


NOTE_MAX = 500  # what was done, in one timeline line


def do_complete_task(task: Task, *, at: dt.datetime | None = None, note: str = "",
                     actor) -> Task:
    """Mark a task done (完了): when (``at``, now unless recorded afterwards) and by whom, and a
    response-action entry on the timeline saying ``note`` (what was done), if given."""
    if at is not None and (timezone.is_naive(at) or at > timezone.now()):
        raise ActionError("bad_time", _("The completion time must be a past time with a zone."))
    with transaction.atomic():
        task = _locked_task(task, actor)
        if task.status == TaskStatus.DONE:
            raise ActionError("already_done", _("This task is already done."))
        before = state(task, TASK_FIELDS)
        _set_status(task, TaskStatus.DONE, actor)
        if at is not None:
            task.completed_at = at
        task.save()
        entry = _task_done_entry(task, actor, note.strip()[:NOTE_MAX])
        record_event(actor=actor, action="task.complete", obj=task,
                     incident_id=task.incident_id, before=before,
                     after=state(task, TASK_FIELDS),
                     details={"task_id": task.pk, "timeline_event": entry.pk})
    return task


# --- calendar feeds -----------------------------------------------------------------------

def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def do_issue_calendar_feed(user, *, actor) -> str:
    """A new secret token for ``user``'s calendar address (the old address stops working).
    Returns the token: shown once, never stored."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied("a calendar address is issued by its own user")
    token = secrets.token_urlsafe(32)  # 256 bits
    with transaction.atomic():
        existing = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if existing is None:
            feed = CalendarFeed.objects.create(user=user, token_hash=hash_token(token),
                                               created_at=timezone.now())
        else:
            feed = existing
            feed.token_hash, feed.created_at = hash_token(token), timezone.now()
            feed.save()
        record_event(actor=actor, action="calendar_feed.issue", obj=feed,
                     details={"user_id": user.pk, "replaced": existing is not None})
    return token


def do_revoke_calendar_feed(user, *, actor) -> bool:
    """Stop ``user``'s calendar address; ``False`` (nothing recorded) if there was none."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied("a calendar address is stopped by its own user")
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            return False
        record_event(actor=actor, action="calendar_feed.revoke", obj=feed,
                     details={"user_id": user.pk})
        feed.delete()
    return True


def feed_user(raw: str):
    """The active user whose calendar token ``raw`` is, or ``None`` (the read side)."""
    feed = (CalendarFeed.objects.select_related("user")
            .filter(token_hash=hash_token(raw)).first())
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


# --- editing playbooks (administrators) ------------------------------------------------------

def can_edit_playbooks(user) -> bool:
    return bool(getattr(user, "is_active", False)
                and user.has_perm("playbooks.change_playbook"))


def _playbook_state(playbook: Playbook) -> dict:
    return {**state(playbook, PLAYBOOK_FIELDS),
            "templates": [state(t, TEMPLATE_FIELDS)
                          for t in playbook.templates.order_by("order", "id")]}


def do_save_playbook(playbook: Playbook, *, fields: dict, templates: list[dict],
                     actor) -> Playbook:
    """Save a playbook's names and its task templates, as the editor sends them.

    ``templates``: one dict per row with ``id`` (``None`` for a new one), ``delete`` and the
    ``TEMPLATE_FIELDS``. Tasks already created from a template keep their own copy. One audit
    event for the whole save; none if nothing changed.
    """
    if not can_edit_playbooks(actor):
        raise PermissionDenied("editing playbooks needs the change_playbook permission")
    with transaction.atomic():
        playbook = Playbook.objects.select_for_update().get(pk=playbook.pk)
        before = _playbook_state(playbook)
        for name in ("name", "name_en", "description", "description_en"):
            if name in fields:
                setattr(playbook, name, fields[name].strip())
        if not playbook.name.strip() or not playbook.name_en.strip():
            raise ActionError("name_required", _("Give the playbook a name in both languages."))
        existing = {t.pk: t for t in playbook.templates.all()}
        keep, seen_keys, added, removed, changed = [], set(), 0, 0, 0
        for row in templates:
            template = existing.get(row.get("id")) if row.get("id") else None
            if row.get("id") and template is None:
                raise ActionError("unknown_template", "template not in this playbook")
            if row.get("delete"):
                if template is not None:
                    template.delete()
                    removed += 1
                continue
            values = {k: row[k] for k in TEMPLATE_FIELDS if k in row}
            key = values.get("key", template.key if template else "")
            if key in seen_keys:
                raise ActionError("duplicate_key", _("Each task needs its own key: “%(key)s” "
                                                     "is used twice.") % {"key": key})
            seen_keys.add(key)
            if abs(int(values.get("due_offset_days", 0))) > MAX_OFFSET_DAYS:
                raise ActionError("offset_range", _("The offset must be within a year."))
            if template is None:
                template = TaskTemplate(playbook=playbook)
                added += 1
            elif any(getattr(template, k) != v for k, v in values.items()):
                changed += 1
            for k, v in values.items():
                setattr(template, k, v)
            keep.append(template)
        # Keys may swap between rows: free them first, then save.
        for template in keep:
            if template.pk:
                TaskTemplate.objects.filter(pk=template.pk).update(key=f"~{template.pk}")
        for template in keep:
            template.save()
        playbook.save()
        after = _playbook_state(playbook)
        if after == before:
            transaction.set_rollback(True)
            return playbook
        record_event(actor=actor, action="playbook.update", obj=playbook, before=before,
                     after=after, details={"playbook": playbook.kind, "added": added,
                                           "changed": changed, "removed": removed})
    return playbook
