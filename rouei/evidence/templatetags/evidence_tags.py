"""``{% incident_sections incident %}``: the evidence and notes cards of the incident page.

The incident page's view has fetched ``incident`` through ``access_incident`` (which sets
``member_role``); without a role nothing is shown.
"""

from __future__ import annotations

from django import template

from rouei.evidence.services import items_for, notes_for

register = template.Library()

NOTES_ON_INCIDENT_PAGE = 3


@register.inclusion_tag("evidence/_sections.html", takes_context=True)
def incident_sections(context, incident):
    from rouei.evidence.views import abilities

    role = getattr(incident, "member_role", None)
    if role is None:
        return {"hidden": True}
    results = list(items_for(incident).values_list("last_result", flat=True))
    notes = notes_for(incident)
    return {
        "incident": incident, "user": context.get("user"), "can": abilities(role),
        "evidence_count": len(results),
        "failed_count": sum(1 for r in results if r and r != "ok"),
        "notes": notes[:NOTES_ON_INCIDENT_PAGE], "note_count": len(notes),
    }
