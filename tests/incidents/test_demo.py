"""`rouei demo`'s incident: built through the actions, with the duty-change story."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from typer.testing import CliRunner

from rouei.cli import web_commands
from rouei.cli.main import app
from rouei.cli.web_commands import DEMO_USER, prepare_demo
from rouei.core.audit import verify_chain
from rouei.demo import demo_facts
from rouei.incidents.models import Incident

pytestmark = pytest.mark.django_db


def test_prepare_demo_creates_the_incident_with_members_facts_and_timeline():
    ready = prepare_demo()
    incident = Incident.objects.get(pk=ready["incident_id"])
    roles = {m.user.username: m.role for m in incident.memberships.select_related("user")}
    assert roles == {DEMO_USER: "lead", "demo-viewer": "viewer", "demo-operator": "call_centre"}
    assert authenticate(username="demo-viewer", password=ready["viewer_password"]) is not None
    assert authenticate(username=DEMO_USER, password=ready["password"]) is not None
    versions = list(incident.facts_versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].facts["people_confirmed"] == 640
    assert versions[1].facts == demo_facts().to_dict()
    kinds = list(incident.timeline.values_list("kind", flat=True))
    for kind in ("occurred", "detected", "knew", "action", "duty_change", "status_change"):
        assert kind in kinds
    duty = incident.timeline.get(kind="duty_change")
    assert duty.text.startswith("本人の数が1,000人を超えたため、規則7条4号にも該当")
    assert incident.status == "preliminary_reported"
    assert verify_chain() is None


def test_prepare_demo_records_the_preliminary_report_as_filed():
    incident = Incident.objects.get(pk=prepare_demo()["incident_id"])
    assert incident.filed_kinds() == {"preliminary"}


def test_prepare_demo_twice_keeps_one_incident():
    first = prepare_demo()["incident_id"]
    second = prepare_demo()["incident_id"]
    assert first == second and Incident.objects.count() == 1


def test_demo_command_prints_the_incident_and_assessment_urls(monkeypatch):
    served = []
    monkeypatch.setattr(web_commands, "_prepare", lambda: None)  # the test database is ready
    monkeypatch.setattr(web_commands, "_serve", lambda *args: served.append(args))
    result = CliRunner().invoke(app, ["demo", "--port", "8123"], terminal_width=200)
    assert result.exit_code == 0, result.output
    incident = Incident.objects.get()
    assert f"http://127.0.0.1:8123/incidents/{incident.pk}/" in result.output
    assert "http://127.0.0.1:8123/assess/?example=demo" in result.output
    assert "demo-viewer" in result.output
    assert served == [("127.0.0.1", 8123, 2)]
