"""The estimate the incident page shows: the incident's latest facts, its own unit prices,
and the same ``evaluate`` as the /assess/ page."""

from __future__ import annotations

from dataclasses import fields

from rouei.assessments.services import evaluate
from rouei.domain.damage import ResponsePrices
from rouei.domain.facts import parse_facts
from rouei.estimates.models import UnitPrices

DEFAULT_PRICES = ResponsePrices()
PRICE_KEYS = tuple(f.name for f in fields(ResponsePrices))


def unit_prices_of(incident) -> UnitPrices:
    """The incident's stored prices, or an unsaved row with none changed (version 0)."""
    return (UnitPrices.objects.filter(incident=incident).first()
            or UnitPrices(incident=incident, overrides={}, version=0))


def overrides_of(prices: ResponsePrices) -> dict:
    """The keys of ``prices`` that differ from the defaults, JSON-ready (lists, not tuples)."""
    out = {}
    for key in PRICE_KEYS:
        value = getattr(prices, key)
        if value != getattr(DEFAULT_PRICES, key):
            out[key] = list(value) if isinstance(value, tuple) else value
    return out


def incident_estimate(incident, lang: str) -> dict | None:
    """``{"exposure", "estimate", "facts_version", "changed_prices"}`` for the incident's
    latest facts (None before any facts are saved)."""
    version = incident.latest_facts()
    if version is None:
        return None
    row = unit_prices_of(incident)
    view = evaluate(parse_facts(dict(version.facts)), prices=row.prices()).view(lang)
    return {"exposure": view["exposure"], "estimate": view["estimate"],
            "facts_version": version.number, "changed_prices": len(row.overrides)}
