"""``{% incident_signals incident %}``: the signals that led to an incident, for the incident
page (which the incidents app renders without knowing about signals). Include it with
``{% include "signals/_incident_signals.html" %}``.

The incident page's view has fetched ``incident`` through ``access_incident`` (which sets
``member_role``): without a role nothing is shown. Only the subject, kind, channel and sender
are listed, never the complainant's personal data; the link to a signal's page is shown to
holders of ``signals.view_signal``.
"""

from __future__ import annotations

from django import template

from rouei.intake.permissions import can_view

register = template.Library()


@register.inclusion_tag("signals/_incident_signals_card.html", takes_context=True)
def incident_signals(context, incident):
    from rouei.intake.services import ENCRYPTED

    if getattr(incident, "member_role", None) is None:
        return {"signals": []}
    signals = list(incident.signals.defer(*ENCRYPTED).order_by("received_at", "pk"))
    return {"signals": signals, "can_view": can_view(context.get("user"))}
