"""The incident page's card: how many people the registry holds and where their notices stand
(counts only: no personal data, so every member sees it)."""

from __future__ import annotations

from rouei.people.services import registry_counts


def registry_card(request, incident) -> dict:
    return {"people": registry_counts(incident)}
