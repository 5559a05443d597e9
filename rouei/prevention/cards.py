"""The prevention card of the incident page: how many measures, done, overdue, and those
without an owner or a due date (a vague promise, response-practice.md §8)."""

from __future__ import annotations

from rouei.prevention.services import plan


def prevention(request, incident) -> dict | None:
    summary = plan(incident)
    return {"plan": summary}
