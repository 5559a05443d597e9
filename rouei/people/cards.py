"""The incident page's card: how many people the registry holds, confirmed and possibly
affected (counts only: no personal data, so every member sees it)."""

from __future__ import annotations

from django.db.models import Count, Q

from rouei.people.models import Person


def registry_card(request, incident) -> dict:
    """The two counts the card shows, in one pass over the incident's people; not the
    registry page's counts per notice status (``registry_counts``), which grouped and sorted
    every row on each view of the incident page."""
    people = Person.objects.filter(incident=incident).order_by().aggregate(
        total=Count("pk"), confirmed=Count("pk", filter=Q(confirmed=True)))
    people["possible"] = people["total"] - people["confirmed"]
    return {"people": people}
