"""What the registered apps (``rouei.core.incident_apps``) put on the shared pages:
``{% incident_cards "top" %}`` and ``{% incident_cards "body" %}`` on the incident page,
``{% incident_menu_entries as entries %}`` in the incident menu, ``{% main_nav_entries as
entries %}`` in the top bar."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from rouei.core import incident_apps
from rouei.core.access import role_allows
from rouei.core.auth import read_permissions
from rouei.core.fingerprints import Remembered, kept_html, prefetch

register = template.Library()


@register.simple_tag(takes_context=True)
def incident_cards(context, slot: str):
    """Each card of ``slot``, rendered with the incident, the member's abilities and what the
    card's own ``context`` function returns (``None``: the card is not shown)."""
    request, incident = context["request"], context["incident"]
    can = context.get("can", {})
    prefetch(incident, incident_apps.card_reads(), request, names=incident_apps.card_names())
    parts = []
    for card in incident_apps.cards(slot):
        key = card.key(request, incident) if card.key is not None else None
        if key is None:
            parts.append(_render(card, request, incident, can))
            continue
        kept = _kept.setdefault(card.template, Remembered())
        parts.append(kept_html(kept, request, incident.pk,
                               (key, get_language(), tuple(sorted(can.items()))),
                               lambda token, card=card: _render(card, request, incident, can,
                                                                csrf_token=token)))
    return mark_safe("".join(parts))  # noqa: S308 — rendered templates, autoescaped


# The HTML of the kept cards (``Card.key``), per card template.
_kept: dict[str, Remembered] = {}


def _render(card, request, incident, can, **more) -> str:
    extra = card.context(request, incident)
    if extra is None:
        return ""
    return render_to_string(card.template, {"incident": incident, "can": can, **more, **extra},
                            request=request)


@register.simple_tag(takes_context=True)
def incident_menu_entries(context):
    incident = context["incident"]
    role = getattr(incident, "member_role", None)
    return [{"label": e.label, "url": reverse(e.url_name, args=[incident.pk]), "here": e.here}
            for e in incident_apps.menu() if role_allows(role, e.need)]


@register.simple_tag(takes_context=True)
def main_nav_entries(context):
    user = context.get("user")
    if user is not None:
        read_permissions(user)  # one query instead of ModelBackend's two
    return [{"label": e.label, "url": reverse(e.url_name)} for e in incident_apps.nav()
            if e.permission is None or (user is not None and user.has_perm(e.permission))]
