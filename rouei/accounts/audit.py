"""Reading the account events of the audit trail: the staff page /accounts/audit/ and each
person's recent sign-ins on their security page. Read-only; the events are written by
``rouei.accounts.actions`` (and ``rouei.api.actions`` for tokens)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rouei.core.models import AuditEvent

ACCOUNT_ACTIONS = {
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Failed sign-in"),
    "auth.logout": _("Signed out"),
    "auth.lockout": _("Sign-in slowed down"),
    "auth.unlock": _("Sign-in delay cleared"),
    "auth.mfa_enrolled": _("Authenticator app added"),
    "auth.mfa_removed": _("Authenticator app removed"),
    "auth.mfa_reset": _("Two-factor sign-in reset by an administrator"),
    "auth.recovery_codes_regenerated": _("New recovery codes"),
    "auth.recovery_code_used": _("Recovery code used"),
    "auth.password_changed": _("Password changed"),
    "api_token.create": _("API token created"),
    "api_token.revoke": _("API token revoked"),
    "calendar_feed.issue": _("Calendar address issued"),
    "calendar_feed.revoke": _("Calendar address stopped"),
    "signal.intake_add": _("Added to the intake group (complaints and signals)"),
    "signal.intake_remove": _("Removed from the intake group (complaints and signals)"),
    "data_keys.rotate": _("Personal data re-encrypted under a new key"),
    "audit_key.rotate": _("Audit trail signing key changed"),
}
SIGN_IN_ACTIONS = ("auth.login", "auth.login_failed")
METHODS = {"password": _("password"), "totp": _("authenticator app"),
           "recovery_code": _("recovery code")}
STEPS = {"password": _("wrong password"), "code": _("wrong code")}
SCOPES = {"username": _("user name"), "ip": _("client address")}
USER_TYPE = "auth.user"


def account_events():
    return (AuditEvent.objects.filter(action__in=list(ACCOUNT_ACTIONS))
            .select_related("actor").order_by("-sequence"))


def _about_user(user) -> Q:
    """Events by ``user`` or about their account (failed sign-ins, an administrator's reset,
    tokens made for them)."""
    return (Q(actor=user) | Q(object_type=USER_TYPE, object_id=str(user.pk))
            | Q(details__user_id=user.pk))


def filter_events(events, *, action: str = "", username: str = "", address: str = "",
                  since: dt.date | None = None, until: dt.date | None = None):
    if action:
        events = events.filter(action=action)
    if username:
        user = get_user_model()._default_manager.filter(
            **{get_user_model().USERNAME_FIELD: username}).first()
        events = events.filter(_about_user(user)) if user else events.none()
    if address:
        events = events.filter(details__ip=address)
    tz = timezone.get_current_timezone()
    if since:
        events = events.filter(at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=tz))
    if until:
        events = events.filter(at__lt=dt.datetime.combine(until + dt.timedelta(days=1),
                                                          dt.time.min, tzinfo=tz))
    return events


def recent_sign_ins(user, limit: int = 10) -> list[AuditEvent]:
    """The account's latest sign-ins and failed attempts, newest first."""
    rows = list(account_events().filter(action__in=SIGN_IN_ACTIONS)
                .filter(_about_user(user))[:limit])
    for row in rows:
        describe(row)
    return rows


def describe(event: AuditEvent, users: dict | None = None) -> AuditEvent:
    """Set ``label``, ``who`` (the account concerned), ``address`` and ``particulars``."""
    details = event.details or {}
    event.label = str(ACCOUNT_ACTIONS.get(event.action, event.action))
    subject = event.actor
    subject_id = (event.object_id if event.object_type == USER_TYPE
                  else str(details.get("user_id") or ""))
    if subject is None and subject_id:
        subject = (users or {}).get(subject_id) or get_user_model().objects.filter(
            pk=subject_id).first()
    event.who = subject.get_username() if subject else ""
    event.address = details.get("ip", "")
    parts = []
    if "method" in details:
        parts.append(str(METHODS.get(details["method"], details["method"])))
    if "step" in details:
        parts.append(str(STEPS.get(details["step"], details["step"])))
        if not details.get("known_user", True):
            parts.append(str(_("no such user")))
    if "scope" in details:
        parts.append(str(SCOPES.get(details["scope"], details["scope"])))
    if "minutes" in details:
        parts.append(str(_("%(minutes)s min") % {"minutes": details["minutes"]}))
    if "seconds" in details:
        parts.append(str(_("%(seconds)s s") % {"seconds": details["seconds"]}))
    if "left" in details:
        parts.append(str(_("%(left)s codes left") % {"left": details["left"]}))
    if details.get("token_id"):
        parts.append(f"#{details['token_id']}")
    event.particulars = " · ".join(parts)
    return event


def describe_page(events) -> list[AuditEvent]:
    """``describe`` for a page of events, with the accounts they name in one query."""
    rows = list(events)
    ids = {r.object_id if r.object_type == USER_TYPE else str((r.details or {}).get("user_id"))
           for r in rows if r.actor_id is None}
    ids = {i for i in ids if i.isdigit()}
    users = {str(u.pk): u for u in get_user_model().objects.filter(pk__in=ids)}
    return [describe(r, users) for r in rows]
