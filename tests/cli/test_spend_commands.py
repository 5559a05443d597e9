"""`rouei incident spend` and `rouei incident spend-add`: the spend page from the command line,
through the same audited action."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rouei.cli.main import app
from rouei.core.models import AuditEvent
from rouei.incidents import actions

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def incident(user):
    return actions.do_create_incident(
        title="設定ミス", facts={"items": ["person_name", "email"], "people_confirmed": 900,
                              "knew_at": "2026-11-24", "cause": "misconfiguration",
                              "malicious": False}, actor=user)


def add(incident, *args: str):
    return runner.invoke(app, ["incident", "spend-add", str(incident.pk), "--category",
                               "legal_counsel", "--amount", "330000", "--date", "2026-11-30",
                               *args])


def test_spend_add_prints_the_new_records_id(incident):
    result = add(incident)
    assert int(result.stdout.strip()) == incident.spends.get().pk


def test_spend_add_is_audited(incident):
    add(incident)
    assert AuditEvent.objects.filter(action="spend.add", incident_id=incident.pk).count() == 1


def test_spend_add_keeps_the_note(incident):
    add(incident, "--note", "初回相談")
    assert incident.spends.get().note == "初回相談"


def test_spend_add_acts_as_the_user_given(incident, member):
    editor = member("legal", "houmu")
    add(incident, "--user", "houmu")
    assert incident.spends.get().recorded_by == editor


def test_spend_add_refuses_a_viewer(incident, member):
    member("viewer", "etsuran")
    assert add(incident, "--user", "etsuran").exit_code == 2


def test_spend_add_lists_the_categories_for_a_wrong_one(incident):
    result = runner.invoke(app, ["incident", "spend-add", str(incident.pk), "--category",
                                 "lunch", "--amount", "1"])
    assert "legal_counsel" in result.stderr


def test_spend_add_refuses_a_zero_amount(incident):
    result = runner.invoke(app, ["incident", "spend-add", str(incident.pk), "--category",
                                 "legal_counsel", "--amount", "0"])
    assert result.exit_code == 2


def test_spend_lists_the_record(incident):
    add(incident)
    assert "330,000円" in runner.invoke(app, ["incident", "spend", str(incident.pk)]).stdout


def test_spend_json_is_the_apis_body(incident):
    add(incident)
    report = json.loads(runner.invoke(app, ["incident", "spend", str(incident.pk),
                                            "--json"]).stdout)
    assert report["summary"]["total"]["spent"] == 330000


def test_spend_refuses_a_missing_incident(db):
    assert runner.invoke(app, ["incident", "spend", "999999"]).exit_code == 1
