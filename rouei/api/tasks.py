"""The tasks endpoints: list an incident's tasks, update one (status, owner, due date), mark one
done — through the playbooks app's audited actions (``do_update_task``, ``do_complete_task``),
with the token's user as the actor. Reads go through ``access_incident`` like every case read.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from rouei.api.common import MAX_ID, CleanText, ErrorOut, PageIn, StrictSchema, text_field
from rouei.api.incidents import READ_ERRORS, WRITE_ERRORS, IncidentId, Lang
from rouei.core.access import Need, Role, access_incident
from rouei.core.errors import ActionError
from rouei.playbooks import actions
from rouei.playbooks.choices import DueRule, TaskStatus
from rouei.playbooks.services import ordered
from rouei.ui.lang import current_lang

router = Router(tags=["tasks"])

TaskId = Path(..., ge=1, le=MAX_ID, description="The task's id")
ACTION_ERRORS = {**WRITE_ERRORS, 400: ErrorOut}


class UserOut(Schema):
    id: int
    username: str


class TaskOut(Schema):
    id: int
    key: str = Field(description="The playbook task's key (empty for a task entered by hand)")
    title: str
    description: str
    role: Role = Field(description="The role that owns the task")
    owner: UserOut | None
    status: TaskStatus
    is_open: bool
    due_date: dt.date | None
    days_left: int | None = Field(description="Negative when overdue")
    overdue: bool
    due_rule: DueRule = Field(description="The deadline the due date follows")
    due_offset_days: int
    due_overridden: bool = Field(description="Set by hand: no longer follows the deadlines")
    not_needed_reason: str = Field(description="Why rouei marked it not needed when the facts "
                                               "or the duties changed (empty otherwise)")
    completed_at: dt.datetime | None
    completed_by: UserOut | None
    updated_at: dt.datetime


class TaskPage(Schema):
    items: list[TaskOut]
    count: int
    limit: int
    offset: int


class TaskUpdateIn(StrictSchema):
    """Only the fields sent are changed."""

    status: TaskStatus | None = Field(None, description="null: leave as it is")
    owner: int | None = Field(None, ge=1, le=MAX_ID,
                              description="A member's user id; null to unassign")
    due_date: dt.date | None = Field(None, description="null to clear")
    due_reason: CleanText = text_field(1000, description="Required when a task that follows "
                                                         "a deadline gets a date by hand")
    follow_rule: bool = Field(False, description="Put the due date back on its rule")


def _user(user) -> dict | None:
    return {"id": user.pk, "username": user.get_username()} if user else None


def _task(task, today: dt.date) -> dict:
    days_left = (task.due_date - today).days if task.due_date else None
    return {
        "id": task.pk, "key": task.key, "title": task.display_title,
        "description": task.display_description, "role": task.role,
        "owner": _user(task.owner), "status": task.status, "is_open": task.is_open,
        "due_date": task.due_date, "days_left": days_left,
        "overdue": bool(task.is_open and days_left is not None and days_left < 0),
        "due_rule": task.due_rule, "due_offset_days": task.due_offset_days,
        "due_overridden": task.due_overridden,
        "not_needed_reason": task.display_not_needed_reason, "completed_at": task.completed_at,
        "completed_by": _user(task.completed_by), "updated_at": task.updated_at,
    }


def _tasks_of(incident):
    return incident.tasks.select_related("owner", "completed_by")


@router.get("/incidents/{incident_id}/tasks", response={200: TaskPage, **READ_ERRORS},
            summary="List an incident's tasks")
def list_tasks(request, page: Query[PageIn], incident_id: int = IncidentId,
               status: TaskStatus | None = None, lang: Lang | None = None):
    """Open ones by due date first (undated last), then the playbook's order. ``status``
    filters; ``lang`` chooses the language of titles (default: Japanese)."""
    incident = access_incident(request.auth, incident_id, Need.VIEW)
    tasks = _tasks_of(incident)
    if status:
        tasks = tasks.filter(status=status)
    tasks = ordered(tasks)
    today = timezone.localdate()
    with translation.override(lang or current_lang()):
        items = [_task(t, today) for t in tasks[page.offset:page.offset + page.limit]]
    return {"items": items, "count": tasks.count(), "limit": page.limit, "offset": page.offset}


@router.patch("/incidents/{incident_id}/tasks/{task_id}",
              response={200: TaskOut, **ACTION_ERRORS}, summary="Update a task")
def update_task(request, payload: TaskUpdateIn, incident_id: int = IncidentId,
                task_id: int = TaskId):
    """Change the status, the owner (a member of the incident) or the due date. A due date set
    by hand on a task that follows a deadline needs ``due_reason`` (otherwise 400,
    ``reason_required``); ``follow_rule`` puts it back on its deadline."""
    incident = access_incident(request.auth, incident_id, Need.EDIT)
    task = get_object_or_404(incident.tasks, pk=task_id)
    sent = payload.model_fields_set
    changes = {}
    if "status" in sent and payload.status is not None:
        changes["status"] = payload.status
    if "owner" in sent:
        changes["owner"] = _member(incident, payload.owner)
    if "due_date" in sent:
        changes["due_date"] = payload.due_date
    task = actions.do_update_task(task, **changes, due_reason=payload.due_reason,
                                  follow_rule=payload.follow_rule, actor=request.auth)
    return _task(_tasks_of(incident).get(pk=task.pk), timezone.localdate())


@router.post("/incidents/{incident_id}/tasks/{task_id}/complete",
             response={200: TaskOut, **ACTION_ERRORS}, summary="Mark a task done")
def complete_task(request, incident_id: int = IncidentId, task_id: int = TaskId):
    """Done (完了), recorded with when and by whom; 400 ``already_done`` if it was."""
    incident = access_incident(request.auth, incident_id, Need.EDIT)
    task = get_object_or_404(incident.tasks, pk=task_id)
    task = actions.do_complete_task(task, actor=request.auth)
    return _task(_tasks_of(incident).get(pk=task.pk), timezone.localdate())


def _member(incident, user_id: int | None):
    """The user ``user_id`` if they are a member of ``incident``; whether such a user exists at
    all is not told apart (the same refusal as the action's)."""
    if user_id is None:
        return None
    user = get_user_model().objects.filter(
        pk=user_id, incident_memberships__incident=incident).first()
    if user is None:
        raise ActionError("owner_not_member", _("The owner must be a member of this incident."))
    return user
