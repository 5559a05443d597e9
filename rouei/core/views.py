"""One door for the pages of an incident: ``@incident_view``.

Every page under ``/incidents/<incident_id>/`` is wrapped by it. In this order, so that an
outsider learns nothing:

1. not signed in: to the sign-in page;
2. ``access_incident(user, incident_id)``: a non-member gets the same 404 on every URL, whatever
   the method, the other ids or the body;
3. a method the page does not take: 405;
4. the need for the method (``read`` for GET and HEAD, ``write`` for the others): a member whose
   role does not have it gets 403 — a viewer never writes;
5. the view runs with the incident (``incident.member_role`` set); an ``ActionError`` it does
   not handle itself is shown on an error page with its status (400, 409), never a 500.

The wrapper carries ``incident_access`` (the needs and methods), which the access walk test
reads for every URL pattern.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import render

from rouei.core.access import Need, RoleForbidden, abilities, access_incident, role_allows
from rouei.core.errors import ActionError

READ = ("GET", "HEAD")
READ_WRITE = ("GET", "HEAD", "POST")


@dataclass(frozen=True)
class IncidentAccess:
    read: Need
    write: Need
    methods: tuple[str, ...]


def incident_view(*, read: Need = Need.VIEW, write: Need = Need.EDIT,
                  methods: tuple[str, ...] = READ):
    """Wrap a view ``view(request, incident, **kwargs)`` served under ``<incident_id>``."""
    if write == Need.VIEW and set(methods) - set(READ):
        raise ValueError("a page that writes needs more than VIEW")
    access = IncidentAccess(Need(read), Need(write), tuple(methods))

    def decorate(view):
        @wraps(view)
        def wrapper(request, incident_id, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            incident = access_incident(request.user, incident_id, Need.VIEW)
            if request.method not in access.methods:
                return HttpResponseNotAllowed(access.methods)
            need = access.read if request.method in READ else access.write
            if not role_allows(incident.member_role, need):
                raise RoleForbidden(incident.member_role, need)
            try:
                return view(request, incident, **kwargs)
            except ActionError as exc:
                return render(request, "core/refused.html",
                              {"incident": incident, "error": exc}, status=exc.status)

        wrapper.incident_access = access
        return wrapper

    return decorate


def render_incident(request, template: str, incident, *, status: int = 200, **context):
    """An incident page: ``incident`` and ``can`` (what the member's role allows, by need)."""
    return render(request, template,
                  {"incident": incident, "can": abilities(incident.member_role), **context},
                  status=status)
