"""`rouei demo`: the demo logins work without a phone, and the printed text says so."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from rouei.accounts import mfa
from rouei.cli import web_commands
from rouei.cli.main import app

pytestmark = pytest.mark.django_db


def test_demo_turns_two_factor_off_and_says_so(monkeypatch, django_user_model):
    monkeypatch.setenv("ROUEI_REQUIRE_MFA", "1")  # restored after the test
    monkeypatch.setattr(web_commands, "_prepare", lambda: None)
    monkeypatch.setattr(web_commands, "_serve", lambda *args: None)
    result = CliRunner().invoke(app, ["demo", "--port", "8123"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert os.environ["ROUEI_REQUIRE_MFA"] == "0"  # what the demo's gunicorn inherits
    assert "二要素認証はデモでは求めません" in result.output
    assert "two-factor sign-in is not required in the demo" in result.output
    assert "http://127.0.0.1:8123/accounts/security/" in result.output
    demo_user = django_user_model.objects.get(username=web_commands.DEMO_USER)
    assert not mfa.has_authenticator(demo_user)
