"""`rouei demo`'s incident comes with its playbook's tasks, those the timeline shows done done."""

from __future__ import annotations

import pytest

from rouei.cli.web_commands import prepare_demo
from rouei.core.audit import verify_chain
from rouei.incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_demo_incident_has_its_tasks_and_the_early_ones_done():
    incident = Incident.objects.get(pk=prepare_demo()["incident_id"])
    # A web-shop card leak: the unauthorised-access playbook and the card steps.
    assert {t.playbook_kind for t in incident.tasks.all()} == {"unauthorized_access", "card"}
    done = set(incident.tasks.filter(status="done").values_list("key", flat=True))
    assert done == {"isolate_systems", "preserve_evidence", "start_forensics", "consult_counsel",
                    "block_intrusion", "preliminary_report"}
    assert incident.tasks.get(key="final_report").status == "todo"
    assert incident.tasks.get(key="final_report").due_date == (
        incident.latest_snapshot().final_report_due)
    assert verify_chain() is None
