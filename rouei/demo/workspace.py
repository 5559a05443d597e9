"""The demo incident of `rouei demo`: workspace.yaml (title, timeline, …) with the facts of
incident.yaml, created through the audited actions like any other incident."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from django.db import transaction

from rouei.core.access import Role
from rouei.demo import DEMO_INCIDENT
from rouei.domain.facts import FactsError
from rouei.domain.inputs import read_mapping_file
from rouei.evidence.demo import add_demo_evidence
from rouei.incidents import actions
from rouei.incidents.models import Incident
from rouei.people.demo import add_demo_registry
from rouei.playbooks.actions import do_complete_task
from rouei.prevention.demo import add_demo_measures

WORKSPACE = Path(__file__).with_name("workspace.yaml")


def load_workspace() -> dict:
    return yaml.safe_load(WORKSPACE.read_text(encoding="utf-8"))


def demo_incident(lead, viewer, operator=None) -> Incident:
    """The demo incident led by ``lead``, created on first use; ``viewer`` is a viewer on it,
    ``operator`` a call-centre operator; its registry holds 12,000 synthetic people."""
    spec = load_workspace()
    existing = Incident.objects.filter(title=spec["title"], created_by=lead).first()
    if existing is not None:
        return existing
    facts = read_mapping_file(DEMO_INCIDENT, FactsError)
    with transaction.atomic():
        incident = actions.do_create_incident(
            title=spec["title"], summary=spec["summary"].strip(),
            organisation=spec["organisation"], vendor_involved=spec["vendor_involved"],
            facts={**facts, **spec["first_facts"]}, actor=lead)
        actions.do_update_facts(incident, facts, expected_version=incident.version, actor=lead)
        for entry in spec["timeline"]:
            actions.do_add_timeline_event(incident, kind=entry["kind"],
                                          at=dt.datetime.fromisoformat(entry["at"]),
                                          text=entry["text"], actor=lead)
        add_demo_evidence(incident, spec, actor=lead)
        actions.do_add_member(incident, viewer, Role.VIEWER, actor=lead)
        if operator is not None:
            actions.do_add_member(incident, operator, Role.CALL_CENTRE, actor=lead)
        for status in spec["statuses"]:
            incident = actions.do_change_status(incident, status, actor=lead)
        for done in spec.get("tasks_done", []):  # the playbook's tasks done by now
            do_complete_task(incident.tasks.get(key=done["key"]), actor=lead, note=done["note"],
                             at=dt.datetime.fromisoformat(done["at"]))
        for filed in spec.get("filed_reports", []):
            actions.do_record_filed_report(
                incident, kind=filed["kind"], filed_at=dt.datetime.fromisoformat(filed["at"]),
                channel=filed["channel"], receipt_number=filed.get("receipt_number", ""),
                filed_by=lead, actor=lead)
        add_demo_measures(incident, spec, actor=lead)
        add_demo_registry(incident, actor=lead)
    return incident
