"""Counting failed sign-ins and refusing them for a while after too many (ログイン試行の制限).

A failure — a wrong password for any user name, existing or not, or a wrong second-factor code —
is counted twice: for the user name and for the client address. Five failures for a user name
within 15 minutes lock that name for 15 minutes; many more from one address lock the address
(password spraying across many names). The lock is written by
``rouei.accounts.actions.do_lock_login``, which records an ``auth.lockout`` audit event. A
locked attempt is refused before the password is even checked, and with the same words whether
or not the user exists; attempts during a lock are not counted (no endless extension). A
successful sign-in clears the user name's count (not the address's: one valid account must not
wipe a sprayer's record).

Every failure is also an ``auth.login_failed`` audit event (with the account tried, when the
name exists, and the address). The address is ``rouei.accounts.client.client_address``: the
direct peer, or behind the proxies named in ``ROUEI_TRUSTED_PROXIES`` the client they forwarded
for. The per-address limit stays high enough not to lock out an office behind one NAT.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rouei.accounts.models import LoginFailure, LoginLock, Scope

MAX_FAILURES = 5  # per user name, within WINDOW
MAX_FAILURES_PER_ADDRESS = 30  # per client address, within WINDOW
WINDOW = dt.timedelta(minutes=15)
LOCK_FOR = dt.timedelta(minutes=15)


def _key(scope: str, value: str) -> str:
    return salted_hmac(f"rouei.accounts.throttle.{scope}", value,
                       algorithm="sha256").hexdigest()


def normalise_username(username: str) -> str:
    """What counts as the same name: NFKC (full-width letters), trimmed, case-folded."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def username_key(username: str) -> str:
    return _key(Scope.USERNAME, normalise_username(username))


def _keys(username: str, ip: str) -> list[tuple[str, str, int]]:
    return [(Scope.USERNAME, username_key(username), MAX_FAILURES),
            (Scope.IP, _key(Scope.IP, ip), MAX_FAILURES_PER_ADDRESS)]


def is_locked(username: str, ip: str) -> bool:
    now = timezone.now()
    return any(LoginLock.objects.filter(scope=scope, key=key, until__gt=now).exists()
               for scope, key, _limit in _keys(username, ip))


def _account(username: str):
    model = get_user_model()
    return model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()


def record_failure(username: str, ip: str, *, step: str = "password", user=None) -> bool:
    """Count and audit one failure (a wrong password, or with ``step="code"`` a wrong code of
    ``user``); ``True`` when it locked the user name or the address."""
    from rouei.accounts.actions import do_lock_login, do_record_failed_sign_in

    locked = False
    with transaction.atomic():
        do_record_failed_sign_in(user if user is not None else _account(username), step=step,
                                 address=ip)
        now = timezone.now()
        for scope, key, limit in _keys(username, ip):
            LoginFailure.objects.filter(scope=scope, key=key, at__lte=now - WINDOW).delete()
            LoginFailure.objects.create(scope=scope, key=key, at=now)
            if LoginFailure.objects.filter(scope=scope, key=key).count() >= limit:
                do_lock_login(scope, key, until=now + LOCK_FOR, actor=None, address=ip)
                locked = True
    return locked


def reset(username: str) -> None:
    """A successful sign-in: the user name starts again from zero."""
    LoginFailure.objects.filter(scope=Scope.USERNAME, key=username_key(username)).delete()


def locked_message() -> str:
    """The same words for every locked attempt: they say nothing about whether the user exists."""
    minutes = int(LOCK_FOR.total_seconds() // 60)
    return ngettext(
        "Sign-in is paused after repeated failed attempts. Please wait %(minutes)d minute "
        "and try again.",
        "Sign-in is paused after repeated failed attempts. Please wait %(minutes)d minutes "
        "and try again.", minutes) % {"minutes": minutes}


def invalid_login_message() -> str:
    return _("The user name or password is not correct.")
