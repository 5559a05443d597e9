"""The scans card of the incident page (registered in apps.py)."""

from __future__ import annotations

from rouei.scans.models import EvidenceScan
from rouei.workers.status import silence

RECENT_SCANS = 5
ZIP_PASSWORD_FIELDS = 3  # one ZIP per password at most


def recent_scans(request, incident) -> dict:
    return {"scans": list(EvidenceScan.objects.filter(incident=incident)[:RECENT_SCANS]),
            "zip_password_fields": range(1, ZIP_PASSWORD_FIELDS + 1),
            "worker_silence": silence()}
