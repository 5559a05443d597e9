"""``{% incident_open_tasks %}``: the open tasks section of the incident page (detail.html),
which the incidents app renders without knowing about tasks."""

from __future__ import annotations

from django import template

from rouei.playbooks import services
from rouei.ui.lang import current_lang

register = template.Library()


@register.inclusion_tag("playbooks/_open_tasks.html", takes_context=True)
def incident_open_tasks(context, incident, limit: int = 8):
    tasks = services.open_tasks(incident, current_lang())
    return {
        "incident": incident,
        "can": context.get("can", {}),
        "tasks": tasks[:limit],
        "more": max(0, len(tasks) - limit),
        "open_count": len(tasks),
        "overdue_count": sum(1 for t in tasks if t.overdue),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
