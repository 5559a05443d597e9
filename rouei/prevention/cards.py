"""The prevention card of the incident page: how many measures, done, overdue, and those
without an owner or a due date (a vague promise, response-practice.md §8)."""

from __future__ import annotations

from django.utils import timezone

from rouei.core.fingerprints import fingerprint
from rouei.prevention.services import plan

READS = ("measures",)


def prevention(request, incident) -> dict | None:
    summary = plan(incident)
    return {"plan": summary}


def prevention_key(request, incident) -> tuple:
    """The card counts the measures (overdue: by the day): kept until one is added, changed
    or removed, or the day turns."""
    return (fingerprint(incident, *READS, request=request), timezone.localdate())
