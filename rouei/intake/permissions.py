"""Who may see and record signals. Signals come before any incident, so there is no membership:
Django's model permissions decide (``signals.view_signal``, ``add_signal``, ``change_signal``),
given through the group 「受付窓口 / intake」 (created by migration 0002).

``access_signal`` is the one door for reading a signal: without ``view_signal`` every signal is
``Http404``, exactly like a missing one (as incidents are for non-members); with it but without
the permission a write needs, ``PermissionDenied`` (403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

INTAKE_GROUP = "受付窓口 / intake"
VIEW, ADD, CHANGE = "signals.view_signal", "signals.add_signal", "signals.change_signal"
INTAKE_CODENAMES = ("view_signal", "add_signal", "change_signal")


def ensure_intake_group(group_model=None, permission_model=None):
    """The intake group with the three permissions (also for the migration's historical
    models); returns the group."""
    if group_model is None:
        from django.contrib.auth.models import Group as group_model
        from django.contrib.auth.models import Permission as permission_model
    group, _created = group_model.objects.get_or_create(name=INTAKE_GROUP)
    perms = permission_model.objects.filter(content_type__app_label="signals",
                                            codename__in=INTAKE_CODENAMES)
    group.permissions.add(*perms)
    return group


def can_view(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and user.has_perm(VIEW))


def require_perm(user, perm: str) -> None:
    if not can_view(user):
        raise Http404
    if not user.has_perm(perm):
        raise PermissionDenied(_("You may not record or change signals."))


def access_signal(user, pk, perm: str = VIEW):
    """The signal ``pk`` for ``user``: 404 if missing or without ``view_signal``, 403 if the
    user lacks ``perm``."""
    from rouei.intake.models import Signal

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    require_perm(user, perm)
    signal = Signal.objects.select_related("incident", "group", "created_by").filter(
        pk=pk).first()
    if signal is None:
        raise Http404
    return signal
