"""The administrator's commands: reset someone's two-factor sign-in, lift a lock early."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from rouei.accounts import mfa
from rouei.core.models import AuditEvent
from tests.accounts.conftest import LOGIN, log_in

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_mfa_reset_removes_apps_and_codes_and_sign_in_needs_only_the_password(client, user,
                                                                            enrol):
    enrol(user)
    assert "OK: 1 authenticator app(s)" in _run("mfa_reset", "tanaka")
    assert not mfa.has_authenticator(user) and mfa.recovery_codes_left(user) == 0
    event = AuditEvent.objects.get(action="auth.mfa_reset")
    assert event.actor is None and event.details == {"devices": 1}
    assert not log_in(client, "tanaka").url.startswith(LOGIN)


def test_mfa_reset_unknown_user_fails():
    with pytest.raises(CommandError):
        _run("mfa_reset", "nobody")


def test_login_unlock_lifts_the_lock(client, user, clock):
    for _ in range(5):
        log_in(client, "tanaka", password="not-the-password")
    assert log_in(client, "tanaka").status_code == 200  # locked
    assert "OK: unlocked" in _run("login_unlock", "Tanaka")
    assert AuditEvent.objects.filter(action="auth.unlock", actor=None).count() == 1
    assert log_in(client, "tanaka").status_code == 302
    assert "not locked" in _run("login_unlock", "tanaka")


def test_login_unlock_by_address_clears_the_address_delay(client, user, clock, monkeypatch):
    from rouei.accounts import throttle

    monkeypatch.setattr(throttle, "FREE_FAILURES_PER_ADDRESS", 3)
    for name in ("sato", "suzuki", "ito"):
        log_in(client, name, password="not-the-password")
    assert log_in(client, "tanaka").status_code == 200  # the address waits
    assert "OK: unlocked" in _run("login_unlock", "--address", "127.0.0.1")
    assert log_in(client, "tanaka").status_code == 302


def test_login_unlock_needs_a_name_or_an_address():
    with pytest.raises(CommandError):
        _run("login_unlock")
