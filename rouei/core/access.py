"""The one door for reading a case: ``access_incident(user, pk, need=...)``.

A user who is not a member of the incident gets ``Http404`` — exactly as for an incident that
does not exist, so an outsider cannot even learn that a case exists. A member whose role does
not allow ``need`` gets ``RoleForbidden`` (a ``PermissionDenied``: HTTP 403): they know the case
already, and a plain "your role cannot do this" helps them more than a pretend "not found".
What each role may do is ``rouei.incidents.choices.ROLE_NEEDS``. Superusers get no bypass:
access to a case is by membership only.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _


class Need(StrEnum):
    VIEW = "view"  # read the case
    EDIT = "edit"  # facts, timeline, status short of closing
    CLOSE = "close"  # close or reopen the case (完了)
    MANAGE = "manage"  # add members, change their roles, remove them


class RoleForbidden(PermissionDenied):
    """A member whose role does not allow the action (HTTP 403)."""

    def __init__(self, role: str, need: str):
        from rouei.incidents.choices import Role

        self.role, self.need = role, need
        super().__init__(_("Your role on this incident (%(role)s) does not allow this.")
                         % {"role": Role(role).label})


def role_allows(role: str | None, need: str) -> bool:
    from rouei.incidents.choices import ROLE_NEEDS

    return role is not None and Need(need) in ROLE_NEEDS.get(role, frozenset())


def incidents_for(user):
    """The incidents ``user`` is a member of (the only list a person ever sees)."""
    from rouei.incidents.models import Incident

    if not getattr(user, "is_authenticated", False):
        return Incident.objects.none()
    return Incident.objects.filter(memberships__user=user)


def role_of(user, incident) -> str | None:
    from rouei.incidents.models import Membership

    if not getattr(user, "is_authenticated", False):
        return None
    return (Membership.objects.filter(user=user, incident=incident)
            .values_list("role", flat=True).first())


def require_role(user, incident, need: str | Need) -> str:
    """For actions: the actor's role if it allows ``need``; otherwise ``PermissionDenied``."""
    role = role_of(user, incident)
    if role is None:
        raise PermissionDenied("not a member of this incident")
    if not role_allows(role, need):
        raise RoleForbidden(role, need)
    return role


def access_incident(user, pk, need: str | Need = Need.VIEW):
    """The incident ``pk`` for ``user`` with ``incident.member_role`` set; 404 if missing or
    not a member, 403 if the member's role does not allow ``need``."""
    from rouei.incidents.models import Membership

    need = Need(need)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404
    membership = (Membership.objects.select_related("incident")
                  .filter(user=user, incident_id=pk).first())
    if membership is None:
        raise Http404
    if not role_allows(membership.role, need):
        raise RoleForbidden(membership.role, need)
    incident = membership.incident
    incident.member_role = membership.role
    return incident
