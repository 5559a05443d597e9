"""`rouei demo` / `rouei manage` (rouei/cli/web_commands.py); tests/cli/ belongs to the domain CLI."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from typer.testing import CliRunner

from rouei.cli.main import app
from rouei.cli.web_commands import DEMO_USER, reset_demo_user
from rouei.demo import demo_facts


@pytest.mark.django_db
def test_reset_demo_user_gives_a_fresh_password_each_time():
    first = reset_demo_user()
    second = reset_demo_user()
    assert first != second and len(second) >= 16
    assert authenticate(username=DEMO_USER, password=second) is not None
    assert authenticate(username=DEMO_USER, password=first) is None


def test_demo_incident_is_a_valid_reportable_case():
    facts = demo_facts()
    assert facts.people_confirmed == 3100 and facts.people_estimated == 12000
    assert "credit_card" in facts.items


def test_cli_lists_the_web_commands():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "demo", "manage"):
        assert command in result.output


def test_cli_manage_runs_a_django_command():
    result = CliRunner().invoke(app, ["manage", "check"])
    assert result.exit_code == 0, result.output
