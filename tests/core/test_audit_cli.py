"""`rouei audit verify` (a Typer sub-app over the audit_verify management command)."""

from __future__ import annotations

import pytest
from django.db import connection
from typer.testing import CliRunner

from rouei.cli.main import app
from rouei.core.models import AuditEvent
from rouei.incidents import actions

pytestmark = pytest.mark.django_db

FACTS = {"items": ["person_name"], "people_confirmed": 10, "knew_at": "2026-11-24"}


def _run():
    return CliRunner().invoke(app, ["audit", "verify"])


@pytest.fixture
def trail(user, django_capture_on_commit_callbacks):
    # The actions commit (and so write their checkpoints) as they would outside a test.
    with django_capture_on_commit_callbacks(execute=True):
        incident = actions.do_create_incident(title="監査テスト", facts=FACTS, actor=user)
        actions.do_update_facts(incident, {**FACTS, "people_confirmed": 20}, expected_version=1,
                                actor=user)
        actions.do_add_timeline_event(incident, kind="action", text="ログを保全",
                                      at=incident.created_at, actor=user)
    return list(AuditEvent.objects.order_by("sequence"))


def test_audit_verify_intact_trail_prints_ok_and_exits_zero(trail):
    result = _run()
    assert result.exit_code == 0, result.output
    assert "OK: 3 events" in result.output


def test_audit_verify_tampered_row_is_named_and_exits_non_zero(trail):
    target = trail[1]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET actor_id = NULL WHERE id = %s", [target.pk])
    result = _run()
    assert result.exit_code == 1
    assert f"event id {target.pk}, sequence {target.sequence}" in result.output
    assert "altered" in result.output


def test_audit_verify_deleted_row_is_named_and_exits_non_zero(trail):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [trail[0].pk])
    result = _run()
    assert result.exit_code == 1
    assert f"event id {trail[1].pk}, sequence 2" in result.output
    assert "removed" in result.output


def test_cli_lists_the_audit_group():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0 and "audit" in result.output
