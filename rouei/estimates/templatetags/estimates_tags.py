"""``{% incident_estimate incident %}``: the exposure and damage estimate card of the incident
page, computed from the incident's current facts and its own unit prices.

The incident page's view has fetched ``incident`` through ``access_incident`` (which sets
``member_role``); without a role nothing is shown.
"""

from __future__ import annotations

from django import template

from rouei.core.access import Need, role_allows
from rouei.estimates.services import incident_estimate
from rouei.ui.lang import current_lang

register = template.Library()


@register.inclusion_tag("estimates/_incident_estimate.html", takes_context=True)
def incident_estimate_card(context, incident):
    role = getattr(incident, "member_role", None)
    if role is None:
        return {"hidden": True}
    return {
        "incident": incident,
        "can_edit_prices": role_allows(role, Need.EDIT),
        "result": incident_estimate(incident, current_lang()),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
