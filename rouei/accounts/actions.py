"""Every write of people and sign-in: ``do_<verb>_<noun>(…, *, actor)``.

Each runs in one transaction and records one audit event (``rouei.core.audit.record_event``):
a sign-in (``auth.login``) and a failed one (``auth.login_failed``, actor ``None``: nobody is
signed in; the object is the account when the name exists), a sign-in delay starting (``auth.lockout``),
enrolling or removing an authenticator (``auth.mfa_enrolled`` / ``auth.mfa_removed``), new
recovery codes, a recovery code spent, a password change. The events carry codes, counts and
the client's address (``ip``, from ``rouei.accounts.client.client_address``: what a security
review needs to tell an attack from a typo), never the secret, a code, a password or a typed
user name. Left out of the trail: the failure counters in ``throttle.py`` (each failure is its
own ``auth.login_failed`` event) and the last accepted TOTP time step django-otp keeps to refuse
a replayed code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rouei.accounts import mfa, throttle
from rouei.accounts.models import LoginFailure, LoginLock, Scope
from rouei.core.audit import record_event, state

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery codes"
DEVICE_FIELDS = ("user", "name", "confirmed")


@dataclass
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str] = field(default_factory=list)  # empty: the earlier ones still hold


def _with_address(details: dict, address: str) -> dict:
    return {**details, "ip": address} if address else details


def do_record_sign_in(user, *, method: str, address: str = "") -> None:
    """A completed sign-in: ``method`` is ``password`` (no authenticator), ``totp`` or
    ``recovery_code`` (the second step)."""
    with transaction.atomic():
        record_event(actor=user, action="auth.login", obj=user,
                     details=_with_address({"method": method}, address))


def do_record_sign_out(user, *, address: str = "") -> None:
    """A sign-out (the logout page; not a session that merely expired)."""
    with transaction.atomic():
        record_event(actor=user, action="auth.logout", obj=user,
                     details=_with_address({}, address))


def do_record_failed_sign_in(user, *, step: str, address: str = "") -> None:
    """A wrong password (``step="password"``; ``user`` is ``None`` when the name does not exist)
    or a wrong second-factor code (``step="code"``). Nobody is signed in: the actor is ``None``
    and the account tried is the event's object. The typed name is never recorded."""
    with transaction.atomic():
        record_event(actor=None, action="auth.login_failed", obj=user,
                     details=_with_address({"step": step, "known_user": user is not None},
                                           address))


def _own(actor, user) -> None:
    if getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied("only the user themselves can change their sign-in")


def do_delay_login(scope: str, key: str, *, until: dt.datetime, first: bool,
                   address: str = "") -> LoginLock:
    """Make the next sign-in for a user name or address (its HMAC ``key``) wait until
    ``until`` (``rouei.accounts.throttle``). ``first``: the delay starts now (the allowance of
    free failures is used up), which is one ``auth.lockout`` event; a longer delay after a
    further failure is not a new event (the failure is)."""
    with transaction.atomic():
        lock, _created = LoginLock.objects.get_or_create(
            scope=scope, key=key, defaults={"until": until})
        lock = LoginLock.objects.select_for_update().get(pk=lock.pk)
        if lock.until < until:
            lock.until = until
            lock.save(update_fields=["until"])
        if first:
            seconds = round((until - timezone.now()).total_seconds())
            record_event(actor=None, action="auth.lockout", obj=lock,
                         details=_with_address({"scope": scope, "seconds": seconds}, address))
    return lock


def _new_recovery_codes(user) -> tuple[StaticDevice, list[str]]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    tokens = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in tokens)
    return device, tokens


def do_enrol_totp(user, *, key: str, name: str, last_t: int, actor,
                  address: str = "") -> Enrolment:
    """Add a confirmed authenticator app (its code was checked against ``key`` at time step
    ``last_t``, which is stored so that the same code cannot sign in). The first one — or any
    while no recovery codes are left — also issues ten recovery codes, shown once."""
    _own(actor, user)
    with transaction.atomic():
        device = TOTPDevice.objects.create(
            user=user, name=name, key=key, digits=mfa.TOTP_DIGITS,
            tolerance=mfa.TOTP_TOLERANCE, confirmed=True, last_t=last_t)
        codes: list[str] = []
        if mfa.recovery_codes_left(user) == 0:
            _recovery, codes = _new_recovery_codes(user)
        record_event(actor=actor, action="auth.mfa_enrolled", obj=device,
                     after=state(device, DEVICE_FIELDS),
                     details=_with_address({"device": "totp", "recovery_codes": len(codes)},
                                           address))
    return Enrolment(device, codes)


def do_remove_totp_device(device: TOTPDevice, *, actor, address: str = "") -> bool:
    """Remove an authenticator app. Removing the last one also removes the recovery codes
    (they are a spare for the app, not a second factor of their own); returns whether it did."""
    _own(actor, device.user)
    with transaction.atomic():
        before = state(device, DEVICE_FIELDS)
        last = not mfa.authenticators(device.user).exclude(pk=device.pk).exists()
        # Recorded before the delete so that the event names the device's id.
        record_event(actor=actor, action="auth.mfa_removed", obj=device, before=before,
                     details=_with_address({"device": "totp",
                                            "recovery_codes_removed": last}, address))
        if last:
            StaticDevice.objects.filter(user=device.user).delete()
        device.delete()
    return last


def do_reset_mfa(user, *, actor=None) -> int:
    """An administrator's reset for someone who lost both phone and recovery codes: every
    authenticator app and recovery code of ``user`` goes; they enrol again at their next
    sign-in. ``actor`` is ``None`` from the command line. Returns how many apps were removed."""
    with transaction.atomic():
        apps = TOTPDevice.objects.filter(user=user).count()
        record_event(actor=actor, action="auth.mfa_reset", obj=user,
                     details={"devices": apps})
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    return apps


def do_unlock_login(username: str = "", *, address: str = "", actor=None) -> bool:
    """Clear the delay on a user name (or a client address) at once (an administrator's call);
    whether one was in force. The failures counted so far are cleared too."""
    scope, key = ((Scope.USERNAME, throttle.username_key(username)) if username
                  else (Scope.IP, throttle.address_key(address)))
    with transaction.atomic():
        lock = LoginLock.objects.select_for_update().filter(
            scope=scope, key=key, until__gt=timezone.now()).first()
        LoginFailure.objects.filter(scope=scope, key=key).delete()
        if lock is None:
            return False
        lock.until = timezone.now()
        lock.save(update_fields=["until"])
        record_event(actor=actor, action="auth.unlock", obj=lock, details={"scope": lock.scope})
    return True


def do_regenerate_recovery_codes(user, *, actor, address: str = "") -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    _own(actor, user)
    if not mfa.has_authenticator(user):
        raise PermissionDenied("recovery codes need an authenticator app first")
    with transaction.atomic():
        device, codes = _new_recovery_codes(user)
        record_event(actor=actor, action="auth.recovery_codes_regenerated", obj=device,
                     details=_with_address({"count": len(codes)}, address))
    return codes


def do_verify_second_factor(user, code: str, *, actor, address: str = ""):
    """The device that accepts ``code`` (six digits: an authenticator app; otherwise a recovery
    code, which is spent and audited), or ``None``. Devices are locked while checking, so one
    code cannot be used twice at once."""
    code = mfa.normalise_code(code)
    with transaction.atomic():
        if mfa.is_totp_code(code):
            for device in mfa.authenticators(user).select_for_update():
                if device.verify_token(code):
                    return device
            return None
        recovery = StaticDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
        if not code or not mfa.has_authenticator(user):
            return None
        for device in recovery:
            if device.verify_token(code):
                record_event(actor=actor, action="auth.recovery_code_used", obj=device,
                             details=_with_address({"left": device.token_set.count()},
                                                   address))
                return device
    return None


def do_change_password(user, new_password: str, *, actor, address: str = "") -> None:
    """Set a new password (argon2); the caller has checked the old one and the validators."""
    _own(actor, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        throttle.reset(user.get_username())
        record_event(actor=actor, action="auth.password_changed", obj=user,
                     details=_with_address({}, address))
