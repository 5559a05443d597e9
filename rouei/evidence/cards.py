"""The evidence and notes cards of the incident page (registered in apps.py)."""

from __future__ import annotations

from rouei.core.pagestate import record_page_view
from rouei.evidence.models import Note
from rouei.evidence.services import items_for, latest_notes

NOTES_ON_INCIDENT_PAGE = 3


def evidence_and_notes(request, incident) -> dict:
    results = list(items_for(incident).values_list("last_result", flat=True))
    # Only the notes shown are read (and rendered once per version); the others are counted.
    shown = latest_notes(incident, NOTES_ON_INCIDENT_PAGE)
    # Fewer than the limit: these are all of them (no count query).
    note_count = (len(shown) if len(shown) < NOTES_ON_INCIDENT_PAGE
                  else Note.objects.filter(incident=incident).count())
    # Notes are free Markdown that may hold personal data: showing them is recorded, as on
    # the notes page.
    if shown:
        record_page_view(request, what="notes", incident_id=incident.pk,
                         details={"notes": [n.pk for n in shown], "page": "incident"})
    return {
        "evidence_count": len(results),
        "failed_count": sum(1 for r in results if r and r != "ok"),
        "notes": shown, "note_count": note_count,
    }
