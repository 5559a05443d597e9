"""The one door for reading a case: ``access_incident(user, pk, need=...)``, and the one access
model: the roles on an incident, the needs an action has, and one table of which role has which
need (``ROLE_NEEDS``). Apps ask this module and never compare roles themselves.

A user who is not a member of the incident gets ``Http404`` — exactly as for an incident that
does not exist, so an outsider cannot even learn that a case exists. A member whose role does
not allow ``need`` gets ``RoleForbidden`` (a ``PermissionDenied``: HTTP 403): they know the case
already, and a plain "your role cannot do this" helps them more than a pretend "not found".
Superusers get no bypass: access to a case is by membership only.

``core`` imports no app: the membership model is named by the setting
``ROUEI_MEMBERSHIP_MODEL`` (``"incidents.Membership"``, as ``AUTH_USER_MODEL`` names the user
model) and looked up through Django's app registry. It has ``user``, ``incident`` and ``role``.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rouei.core.rows import first_joined, select

# The largest primary key the databases hold (a signed 64-bit integer): a larger id in a URL or
# an API path is a missing incident, not a database error.
MAX_ID = 2**63 - 1


class Role(models.TextChoices):
    """A member's role on one incident (対応体制の役割)."""

    LEAD = "lead", gettext_lazy("Incident lead")
    LEGAL = "legal", gettext_lazy("Legal")
    PR = "pr", gettext_lazy("PR")
    FORENSICS = "forensics", gettext_lazy("IT / forensics")
    CALL_CENTRE = "call_centre", gettext_lazy("Call-centre operator")
    VIEWER = "viewer", gettext_lazy("Viewer")


class Need(StrEnum):
    """What an action needs. Pages, the API, the CLI and actions name one of these."""

    VIEW = "view"  # read the case (masked personal data)
    EDIT = "edit"  # facts, timeline, tasks, notes, registering evidence; status short of closing
    CLOSE = "close"  # close or reopen the case (完了)
    MANAGE = "manage"  # members and their roles; others' notes; tasks from a playbook
    VIEW_PERSONAL = "view_personal"  # see personal data unmasked (a person's record)
    HANDLE_EVIDENCE = "handle_evidence"  # open evidence content, record custody (証拠の取扱い)
    EXPORT_PERSONAL = "export_personal"  # take personal data out: files, print data, lists
    PUBLISH = "publish"  # publish the public notice, file a report with the PPC
    ANSWER_WINDOW = "answer_window"  # answer the contact window (お問い合わせ窓口): one person


_EDITOR = frozenset({Need.VIEW, Need.EDIT})
# The one table. Evidence may hold the leaked data itself: the people who handle it for the
# regulator, the insurer and the court (lead, legal, IT/forensics) open it. Operators answer
# one caller at a time and export nothing; PR publishes with the lead. Legal files reports too
# (the lawyer often files the 速報/確報 with the PPC: issue 11, guard rail 3).
ROLE_NEEDS: dict[str, frozenset[Need]] = {
    Role.LEAD: frozenset(Need),
    Role.LEGAL: _EDITOR | {Need.VIEW_PERSONAL, Need.HANDLE_EVIDENCE, Need.EXPORT_PERSONAL,
                           Need.ANSWER_WINDOW, Need.PUBLISH},
    Role.PR: _EDITOR | {Need.PUBLISH},
    Role.FORENSICS: _EDITOR | {Need.VIEW_PERSONAL, Need.HANDLE_EVIDENCE},
    Role.CALL_CENTRE: _EDITOR | {Need.ANSWER_WINDOW},
    Role.VIEWER: frozenset({Need.VIEW}),
}


class RoleForbidden(PermissionDenied):
    """A member whose role does not allow the action (HTTP 403)."""

    def __init__(self, role: str, need: str):
        self.role, self.need = role, need
        super().__init__(_("Your role on this incident (%(role)s) does not allow this.")
                         % {"role": Role(role).label})


def role_allows(role: str | None, need: str) -> bool:
    return role is not None and Need(need) in ROLE_NEEDS.get(role, frozenset())


def abilities(role: str | None) -> dict[str, bool]:
    """Every need and whether ``role`` has it: the templates' ``can`` (buttons, links, forms)."""
    return {need.value: role_allows(role, need) for need in Need}


def membership_model():
    return apps.get_model(settings.ROUEI_MEMBERSHIP_MODEL)


def incident_model():
    return membership_model()._meta.get_field("incident").related_model


@lru_cache(maxsize=1)
def _membership_sql() -> str:
    member, incident = membership_model(), incident_model()
    user_id, incident_id = (member._meta.get_field(name).column for name in ("user", "incident"))
    return (f'{select((member, "m"), (incident, "i"))} FROM "{member._meta.db_table}" m '
            f'JOIN "{incident._meta.db_table}" i ON i."{incident._meta.pk.column}" = '
            f'm."{incident_id}" WHERE m."{user_id}" = %s AND m."{incident_id}" = %s')


def incidents_for(user):
    """The incidents ``user`` is a member of (the only list a person ever sees)."""
    incident = incident_model()
    if not getattr(user, "is_authenticated", False):
        return incident.objects.none()
    return incident.objects.filter(memberships__user=user)


def role_of(user, incident) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if getattr(incident, "member_role_of", None) == user.pk:
        # Read by ``access_incident`` in this request: an action called right after it (an API
        # look-up) does not ask the database again.
        return incident.member_role
    return (membership_model().objects.filter(user=user, incident=incident)
            .values_list("role", flat=True).first())


def require_role(user, incident, need: str | Need) -> str:
    """For actions: the actor's role if it allows ``need``; otherwise ``PermissionDenied``."""
    role = role_of(user, incident)
    if role is None:
        raise PermissionDenied("not a member of this incident")
    if not role_allows(role, need):
        raise RoleForbidden(role, need)
    return role


def parse_id(value) -> int:
    """A database id from a URL or a request, or ``Http404``: not a number, not positive, or
    beyond what the database holds (which would otherwise be a database error)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number <= MAX_ID:
        raise Http404
    return number


def access_incident(user, pk, need: str | Need = Need.VIEW):
    """The incident ``pk`` for ``user`` with ``incident.member_role`` set; 404 if missing or
    not a member, 403 if the member's role does not allow ``need``."""
    need = Need(need)
    pk = parse_id(pk)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404
    # Every page and API call of an incident makes this read: in SQL written once
    # (``rouei.core.rows``), the membership with its incident in one row.
    found = first_joined(_membership_sql(), [user.pk, pk], membership_model(), incident_model())
    if found is None:
        raise Http404
    membership, incident = found
    membership.incident = incident
    if not role_allows(membership.role, need):
        raise RoleForbidden(membership.role, need)
    incident.member_role = membership.role
    incident.member_role_of = user.pk  # whose role it is (``role_of`` reuses it)
    return incident
