"""`rouei demo`'s incident carries evidence with its chain of custody, and a note."""

from __future__ import annotations

import pytest

from rouei.cli.web_commands import prepare_demo
from rouei.core.audit import verify_chain
from rouei.evidence import store
from rouei.evidence.services import check_blobs
from rouei.incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_prepare_demo_registers_evidence_and_a_note():
    incident = Incident.objects.get(pk=prepare_demo()["incident_id"])
    items = list(incident.evidence_items.order_by("id"))
    assert [i.original_name for i in items] == ["checkout-inject.js", "access_log_2026-08-03.txt"]
    assert all(store.hash_blob(i.sha256) == i.sha256 for i in items)
    assert items[0].custody_events.get().kind == "collected"
    assert "弁護士相談" in incident.notes.get().body
    assert all(check.ok for check in check_blobs(incident.pk)) and verify_chain() is None
