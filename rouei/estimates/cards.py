"""The exposure and damage estimate card of the incident page (registered in apps.py),
computed from the incident's current facts and its own unit prices."""

from __future__ import annotations

from rouei.estimates.services import incident_estimate
from rouei.ui.lang import current_lang


def estimate(request, incident) -> dict:
    return {"result": incident_estimate(incident, current_lang())}
