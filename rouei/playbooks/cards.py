"""The tasks card of the incident page (registered in apps.py)."""

from __future__ import annotations

from django.utils import timezone

from rouei.core.fingerprints import fingerprint, user_names
from rouei.playbooks import scheduling, services
from rouei.ui.lang import current_lang

OPEN_TASKS_ON_INCIDENT_PAGE = 8
# The tasks, the assessment the proposals follow, and the playbooks and their task templates
# (shared by every incident).
READS = ("tasks", "snapshots", "playbooks.Playbook", "playbooks.TaskTemplate")
# The users the tasks name (owner; who completed one).
NAMES = ("tasks.owner", "tasks.completed_by")


def open_tasks(request, incident) -> dict:
    tasks = services.open_tasks(incident, current_lang())
    limit = OPEN_TASKS_ON_INCIDENT_PAGE
    return {
        "tasks": tasks[:limit],
        "more": max(0, len(tasks) - limit),
        "open_count": len(tasks),
        "overdue_count": sum(1 for t in tasks if t.overdue),
        "proposals": scheduling.proposed_templates(incident),
    }


def open_tasks_key(request, incident) -> tuple:
    """What the card shows changes with the incident's tasks (a task's owner, status or due
    date is saved on it), the latest assessment (the proposals), the playbooks and their task
    templates, the names of the users the tasks point to (a user renamed changes no task) and
    the day (overdue, days left)."""
    return (fingerprint(incident, *READS, request=request),
            user_names(incident, *NAMES, request=request), timezone.localdate())
