"""Slowing down repeated failed sign-ins (ログイン試行の遅延).

A failure — a wrong password for any user name, existing or not, or a wrong second-factor code —
is counted twice: for the user name and for the client address. The first few failures within
``WINDOW`` cost nothing (typos); after them every further attempt must wait a delay that doubles
with each failure (1, 2, 4, 8 … seconds), capped: ``MAX_DELAY`` for a user name (one minute,
so that someone who knows a colleague's name can slow that colleague down by at most a minute,
never lock them out), ``MAX_DELAY_PER_ADDRESS`` for an address (fifteen minutes: the attacker's
own address pays the most). Attempts during a delay are refused before the password is even
checked, with the same words ("しばらく待ってから…") whether the password was right or not and
whether the user exists or not, and are not counted (no endless extension). An attacker trying
one name gets one guess a minute; the real user, from their own address, waits at most a minute.

The delay is a ``LoginLock`` row (``until``) written by ``rouei.accounts.actions.do_delay_login``,
which records one ``auth.lockout`` audit event when a user name or address starts being delayed
(not one per further failure: each failure is its own ``auth.login_failed`` event). A successful
sign-in clears the user name's count (not the address's: one valid account must not wipe a
sprayer's record); ``rouei manage login_unlock NAME`` (or ``--address``) clears a delay at once.

The address is ``rouei.accounts.client.client_address``: the direct peer, or behind the proxies
named in ``ROUEI_TRUSTED_PROXIES`` the client they forwarded for. The per-address allowance
stays high enough not to slow an office behind one NAT.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from rouei.accounts.models import LoginFailure, LoginLock, Scope

FREE_FAILURES = 5  # per user name within WINDOW, before any delay
FREE_FAILURES_PER_ADDRESS = 30  # per client address within WINDOW
WINDOW = dt.timedelta(hours=1)  # failures older than this are forgotten
MAX_DELAY = dt.timedelta(minutes=1)  # per user name
MAX_DELAY_PER_ADDRESS = dt.timedelta(minutes=15)


def delay_after(failures: int, free: int, cap: dt.timedelta) -> dt.timedelta:
    """The wait after ``failures`` within the window: none while ``failures < free``, then
    1 s, 2 s, 4 s … doubling with each failure, never more than ``cap``."""
    if failures < free:
        return dt.timedelta()
    exponent = failures - free
    if exponent >= 32:  # 2**32 s is past any cap
        return cap
    return min(dt.timedelta(seconds=2 ** exponent), cap)


def _key(scope: str, value: str) -> str:
    return salted_hmac(f"rouei.accounts.throttle.{scope}", value,
                       algorithm="sha256").hexdigest()


def normalise_username(username: str) -> str:
    """What counts as the same name: NFKC (full-width letters), trimmed, case-folded."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def username_key(username: str) -> str:
    return _key(Scope.USERNAME, normalise_username(username))


def address_key(ip: str) -> str:
    return _key(Scope.IP, ip)


def _keys(username: str, ip: str) -> list[tuple[str, str, int, dt.timedelta]]:
    # Read at call time, so that tests (and a deployment's settings) can change them.
    return [(Scope.USERNAME, username_key(username), FREE_FAILURES, MAX_DELAY),
            (Scope.IP, address_key(ip), FREE_FAILURES_PER_ADDRESS, MAX_DELAY_PER_ADDRESS)]


def is_locked(username: str, ip: str) -> bool:
    """Whether an attempt for ``username`` from ``ip`` must wait now."""
    now = timezone.now()
    return any(LoginLock.objects.filter(scope=scope, key=key, until__gt=now).exists()
               for scope, key, _free, _cap in _keys(username, ip))


def _account(username: str):
    model = get_user_model()
    return model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()


def record_failure(username: str, ip: str, *, step: str = "password", user=None) -> bool:
    """Count and audit one failure (a wrong password, or with ``step="code"`` a wrong code of
    ``user``); ``True`` when the next attempt for the user name or from the address must wait."""
    from rouei.accounts.actions import do_delay_login, do_record_failed_sign_in

    locked = False
    with transaction.atomic():
        do_record_failed_sign_in(user if user is not None else _account(username), step=step,
                                 address=ip)
        now = timezone.now()
        for scope, key, free, cap in _keys(username, ip):
            LoginFailure.objects.filter(scope=scope, key=key, at__lte=now - WINDOW).delete()
            LoginFailure.objects.create(scope=scope, key=key, at=now)
            failures = LoginFailure.objects.filter(scope=scope, key=key).count()
            delay = delay_after(failures, free, cap)
            if delay:
                do_delay_login(scope, key, until=now + delay, first=failures == free,
                               address=ip)
                locked = True
    return locked


def reset(username: str) -> None:
    """A successful sign-in: the user name starts again from zero."""
    LoginFailure.objects.filter(scope=Scope.USERNAME, key=username_key(username)).delete()
    LoginLock.objects.filter(scope=Scope.USERNAME, key=username_key(username)).delete()


def locked_message() -> str:
    """The same words for every delayed attempt: they say nothing about whether the user exists
    or whether the password was right."""
    return _("Sign-in is slowed down after repeated failed attempts. Please wait a while and "
             "try again.")


def invalid_login_message() -> str:
    return _("The user name or password is not correct.")
