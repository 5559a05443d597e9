"""Sign-in delays: after five failures for a user name (thirty from an address) within an hour
each further attempt waits 1, 2, 4 … seconds, capped at a minute for a name, fifteen for an address; a
known user name can be slowed down, never locked out."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from rouei.accounts import throttle
from rouei.accounts.models import LoginFailure, LoginLock
from rouei.core.audit import verify_chain
from rouei.core.models import AuditEvent
from tests.accounts.conftest import LOGIN, VERIFY, wrong_code
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "しばらく待ってから"
WRONG = "ユーザー名またはパスワードが正しくありません"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
ATTACKER, USER_ADDRESS = "203.0.113.5", "198.51.100.7"


def log_in(client, username, password=PASSWORD, address="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR=address)


def _fail(client, username="tanaka", times=1, address="127.0.0.1"):
    for _ in range(times):
        response = log_in(client, username, password="not-the-password", address=address)
    return response


def _page_text(response, username: str) -> str:
    """The page without what legitimately differs: the CSRF token and the name typed."""
    return CSRF.sub("", response.content.decode()).replace(username, "NAME")


def _signed_in(response) -> bool:
    return response.status_code == 302 and not response.url.startswith(LOGIN)


def _wait(username: str = "tanaka", address: str = "") -> dt.timedelta:
    """How long the next attempt for ``username`` (from ``address``) must wait from now."""
    from django.utils import timezone

    locks = LoginLock.objects.filter(scope="username", key=throttle.username_key(username))
    if address:
        locks = locks | LoginLock.objects.filter(scope="ip", key=throttle.address_key(address))
    return max([lock.until - timezone.now() for lock in locks] + [dt.timedelta()])


def _attack(client, clock, *, failures: int, address: str = ATTACKER, names=("tanaka",)):
    """``failures`` wrong passwords for ``names`` in turn, each as soon as the delays allow."""
    for i in range(failures):
        name = names[i % len(names)]
        clock.move(seconds=_wait(name, address).total_seconds())
        assert WRONG in _fail(client, name, address=address).content.decode() or _wait(name, address)


# --- the delay ------------------------------------------------------------------------------

def test_four_failures_cost_nothing(client, user, clock):
    assert WRONG in _fail(client, times=4).content.decode()
    assert _signed_in(log_in(client, "tanaka"))


def test_fifth_failure_starts_a_delay_that_refuses_even_the_right_password(client, user, clock):
    _fail(client, times=4)
    fifth = _fail(client)
    assert LOCKED in fifth.content.decode()
    response = log_in(client, "tanaka")
    assert LOCKED in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_delay_refusal_does_not_say_whether_the_password_was_right(client, user, clock):
    _fail(client, times=5)
    right = _page_text(log_in(client, "tanaka"), "tanaka")
    wrong = _page_text(_fail(client), "tanaka")
    assert right == wrong


def test_delays_double_with_each_further_failure(client, user, clock):
    _fail(client, times=4)
    waits = []
    for _ in range(5):
        _fail(client)
        waits.append(_wait().total_seconds())
        clock.move(seconds=waits[-1])
    assert waits == [1, 2, 4, 8, 16]


def test_delay_per_user_name_is_capped_at_a_minute(client, user, clock):
    _attack(client, clock, failures=13)
    assert _wait() == throttle.MAX_DELAY


def test_attempts_during_a_delay_are_not_counted(client, user, clock):
    _fail(client, times=5)
    failures = LoginFailure.objects.filter(scope="username").count()
    _fail(client, times=3)  # all refused before the password is checked
    assert LoginFailure.objects.filter(scope="username").count() == failures


def test_real_user_signs_in_once_the_delay_has_passed(client, user, clock):
    _fail(client, times=7)
    clock.move(seconds=_wait().total_seconds())
    assert _signed_in(log_in(client, "tanaka"))


def test_name_attack_delays_another_address_no_longer_than_the_name_cap(client, user, clock):
    _attack(client, clock, failures=20, address=ATTACKER)
    assert _wait("tanaka", USER_ADDRESS) <= throttle.MAX_DELAY


def test_real_user_signs_in_from_their_address_after_the_name_cap(client, user, clock):
    _attack(client, clock, failures=20, address=ATTACKER)
    clock.move(seconds=throttle.MAX_DELAY.total_seconds())
    assert _signed_in(log_in(client, "tanaka", address=USER_ADDRESS))


def test_spraying_address_waits_longer_than_the_name_cap(client, user, clock):
    names = tuple(f"guess{i}" for i in range(37))
    _attack(client, clock, failures=37, address=ATTACKER, names=names)
    assert _wait("someone-else", ATTACKER) > throttle.MAX_DELAY


def test_spraying_address_does_not_delay_the_real_user_elsewhere(client, user, clock):
    names = tuple(f"guess{i}" for i in range(37))
    _attack(client, clock, failures=37, address=ATTACKER, names=names)
    assert _signed_in(log_in(client, "tanaka", address=USER_ADDRESS))


def test_delay_ends_and_failures_older_than_the_window_do_not_count(client, user, clock):
    _fail(client, times=4)
    clock.move(seconds=throttle.WINDOW.total_seconds() + 1)
    assert WRONG in _fail(client).content.decode()


def test_delay_message_is_the_same_for_a_user_that_does_not_exist(client, user, clock):
    _fail(client, "tanaka", times=5)
    _fail(client, "nobody-here", times=5)
    known = _page_text(log_in(client, "tanaka"), "tanaka")
    unknown = _page_text(log_in(client, "nobody-here"), "nobody-here")
    assert LOCKED in known
    assert known == unknown


def test_delay_counts_the_name_however_it_is_typed(client, user, clock):
    _fail(client, "tanaka", times=3)
    _fail(client, "ＴＡＮＡＫＡ ", times=2)  # full-width capitals and a space: the same name
    assert LOCKED in log_in(client, "tanaka").content.decode()


def test_delay_start_is_one_audit_event_without_actor(client, user, clock):
    _fail(client, times=5)
    clock.move(seconds=1)
    _fail(client)  # a longer delay, no second event
    event = AuditEvent.objects.get(action="auth.lockout")
    assert event.actor is None
    assert event.details == {"scope": "username", "seconds": 1, "ip": "127.0.0.1"}
    assert event.object_type == "accounts.loginlock"
    assert verify_chain() is None


def test_delay_stores_no_user_name_or_address_in_clear(client, user, clock):
    _fail(client, times=2)
    keys = list(LoginFailure.objects.values_list("key", flat=True))
    assert keys
    assert all("tanaka" not in k and "127.0.0.1" not in k for k in keys)


def test_count_starts_again_after_a_successful_sign_in(client, user, clock):
    _fail(client, times=4)
    assert _signed_in(log_in(client, "tanaka"))
    client.logout()
    assert WRONG in _fail(client, times=4).content.decode()
    assert _signed_in(log_in(client, "tanaka"))


def test_wrong_codes_count_towards_the_delay(client, user, enrol, clock):
    device, _codes = enrol(user)
    _fail(client, times=2)
    log_in(client, "tanaka")
    for _ in range(2):
        assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 200
    response = client.post(VERIFY, {"code": "abcdefgh"}, follow=True)  # the fifth failure
    assert response.redirect_chain[-1][0] == LOGIN
    assert LOCKED in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    # Delayed: the right password does not help now.
    assert LOCKED in log_in(client, "tanaka").content.decode()


def test_delay_by_address_after_many_names_fail_from_it(client, user, clock, monkeypatch):
    monkeypatch.setattr(throttle, "FREE_FAILURES_PER_ADDRESS", 6)
    for name in ("sato", "suzuki", "takahashi", "ito", "watanabe", "yamamoto"):
        _fail(client, name)
    assert LoginLock.objects.filter(scope="ip").exists()
    response = log_in(client, "tanaka")  # never failed itself, but comes from that address
    assert LOCKED in response.content.decode()
    assert AuditEvent.objects.get(action="auth.lockout").details["scope"] == "ip"


# --- the rule itself ------------------------------------------------------------------------

@pytest.mark.parametrize(("failures", "seconds"), [(0, 0), (4, 0), (5, 1), (6, 2), (10, 32),
                                                   (11, 60), (1000, 60)])
def test_delay_after(failures, seconds):
    assert throttle.delay_after(failures, 5, dt.timedelta(minutes=1)).total_seconds() == seconds
