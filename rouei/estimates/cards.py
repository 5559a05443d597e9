"""The exposure and damage estimate card of the incident page (registered in apps.py),
computed from the incident's current facts and its own unit prices."""

from __future__ import annotations

from rouei.core.fingerprints import fingerprint
from rouei.estimates.services import incident_estimate
from rouei.ui.lang import current_lang

READS = ("facts_versions", "unit_prices")


def estimate(request, incident) -> dict:
    return {"result": incident_estimate(incident, current_lang())}


def estimate_key(request, incident) -> tuple:
    """What the estimate is computed from: the facts versions (the latest is used) and the
    incident's unit prices. The card is kept as HTML until one of them changes."""
    return fingerprint(incident, *READS, request=request)
