"""The tasks card of the incident page (registered in apps.py)."""

from __future__ import annotations

from rouei.playbooks import scheduling, services
from rouei.ui.lang import current_lang

OPEN_TASKS_ON_INCIDENT_PAGE = 8


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
