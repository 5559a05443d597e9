"""Lockout: five failures for a user name within 15 minutes lock it for 15 minutes."""

from __future__ import annotations

import re

import pytest

from rouei.accounts import throttle
from rouei.accounts.models import LoginFailure, LoginLock
from rouei.core.audit import verify_chain
from rouei.core.models import AuditEvent
from tests.accounts.conftest import LOGIN, VERIFY, log_in, wrong_code

pytestmark = pytest.mark.django_db

LOCKED = "ログインの失敗が続いたため、ログインを一時的に停止しています。15分ほどたってから"
WRONG = "ユーザー名またはパスワードが正しくありません"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _fail(client, username="tanaka", times=1):
    for _ in range(times):
        response = log_in(client, username, password="not-the-password")
    return response


def _page_text(response, username: str) -> str:
    """The page without what legitimately differs: the CSRF token and the name typed."""
    return CSRF.sub("", response.content.decode()).replace(username, "NAME")


def _signed_in(response) -> bool:
    return response.status_code == 302 and not response.url.startswith(LOGIN)


def test_lockout_after_five_failures_refuses_even_the_right_password(client, user):
    assert WRONG in _fail(client, times=4).content.decode()
    fifth = _fail(client)
    assert LOCKED in fifth.content.decode() and WRONG not in fifth.content.decode()
    response = log_in(client, "tanaka")
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_lockout_message_is_the_same_for_a_user_that_does_not_exist(client, user):
    _fail(client, "tanaka", times=5)
    _fail(client, "nobody-here", times=5)
    known = _page_text(log_in(client, "tanaka"), "tanaka")
    unknown = _page_text(log_in(client, "nobody-here"), "nobody-here")
    assert LOCKED in known and known == unknown


def test_lockout_counts_the_name_however_it_is_typed(client, user):
    _fail(client, "tanaka", times=3)
    _fail(client, "ＴＡＮＡＫＡ ", times=2)  # full-width capitals and a space: the same name
    assert LOCKED in log_in(client, "tanaka").content.decode()


def test_lockout_records_one_audit_event_without_actor(client, user):
    _fail(client, times=5)
    log_in(client, "tanaka")  # refused while locked: no second event
    event = AuditEvent.objects.get(action="auth.lockout")
    assert event.actor is None and event.incident_id is None
    assert event.details == {"scope": "username", "minutes": 15, "ip": "127.0.0.1"}
    assert event.object_type == "accounts.loginlock"
    assert verify_chain() is None


def test_lockout_stores_no_user_name_or_address_in_clear(client, user):
    _fail(client, times=2)
    keys = list(LoginFailure.objects.values_list("key", flat=True))
    assert keys and all("tanaka" not in k and "127.0.0.1" not in k for k in keys)


def test_lockout_ends_after_fifteen_minutes(client, user, clock):
    _fail(client, times=5)
    clock.move(minutes=14)
    assert LOCKED in log_in(client, "tanaka").content.decode()
    clock.move(minutes=1, seconds=1)
    assert _signed_in(log_in(client, "tanaka"))


def test_lockout_failures_older_than_fifteen_minutes_do_not_count(client, user, clock):
    _fail(client, times=4)
    clock.move(minutes=15, seconds=1)
    assert WRONG in _fail(client).content.decode()
    assert _signed_in(log_in(client, "tanaka"))


def test_lockout_count_starts_again_after_a_successful_sign_in(client, user):
    _fail(client, times=4)
    assert _signed_in(log_in(client, "tanaka"))
    client.logout()
    assert WRONG in _fail(client, times=4).content.decode()
    assert _signed_in(log_in(client, "tanaka"))


def test_lockout_wrong_codes_count_towards_the_lock(client, user, enrol):
    device, _codes = enrol(user)
    _fail(client, times=2)
    log_in(client, "tanaka")
    for _ in range(2):
        assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 200
    response = client.post(VERIFY, {"code": "abcdefgh"}, follow=True)  # the fifth failure
    assert response.redirect_chain[-1][0] == LOGIN
    assert LOCKED in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    # Locked: the right password and the right code do not help now.
    assert LOCKED in log_in(client, "tanaka").content.decode()


def test_lockout_by_address_after_many_names_fail_from_it(client, user, monkeypatch):
    monkeypatch.setattr(throttle, "MAX_FAILURES_PER_ADDRESS", 6)
    for name in ("sato", "suzuki", "takahashi", "ito", "watanabe", "yamamoto"):
        _fail(client, name)
    assert LoginLock.objects.filter(scope="ip").exists()
    response = log_in(client, "tanaka")  # never failed itself, but comes from that address
    assert LOCKED in response.content.decode()
    assert AuditEvent.objects.get(action="auth.lockout").details["scope"] == "ip"

