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


def spend_summary(incident, estimate: dict | None, lang: str = "ja") -> dict:
    """The money spent beside the estimate, per category and in total: ``{"entries",
    "lines": [{key, label, estimate, spent, difference}], "total": {estimate, spent,
    difference}}``. ``estimate`` is ``incident_estimate(...)["estimate"]`` (None before any
    facts); a category appears once it has an estimate or a spend; ``difference`` is spent
    minus estimate (None where there is no estimate)."""
    from rouei.estimates.choices import SPEND_CATEGORIES

    spent: dict[str, int] = {}
    entries = 0
    for category, amount in incident.spends.values_list("category", "amount"):
        spent[category] = spent.get(category, 0) + amount
        entries += 1
    response = (estimate or {}).get("response_costs") or {}
    estimated = {line["key"]: line["amount"] for line in response.get("lines") or ()}
    lines = []
    for key, label in SPEND_CATEGORIES.items():
        planned, paid = estimated.get(key), spent.get(key)
        if planned is None and paid is None:
            continue
        lines.append({"key": key, "label": label(lang), "estimate": planned, "spent": paid or 0,
                      "difference": (paid or 0) - planned if planned is not None else None})
    total_estimate = response.get("subtotal")
    total_spent = sum(spent.values())
    return {"entries": entries, "lines": lines,
            "total": {"estimate": total_estimate, "spent": total_spent,
                      "difference": (total_spent - total_estimate
                                     if total_estimate is not None else None)}}


def spend_record(row, lang: str = "ja") -> dict:
    """One spend record as the API and ``rouei incident spend --json`` give it."""
    from rouei.estimates.choices import SPEND_CATEGORIES

    label = SPEND_CATEGORIES[row.category](lang) if row.category in SPEND_CATEGORIES \
        else row.category
    return {"id": row.pk, "spent_on": row.spent_on.isoformat(), "category": row.category,
            "category_label": label, "amount": row.amount, "note": row.note,
            "version": row.version,
            "recorded_by": {"id": row.recorded_by_id,
                            "username": row.recorded_by.get_username()},
            "recorded_at": row.created_at.isoformat()}


def spend_report(incident, lang: str = "ja") -> dict:
    """The spend page's content: ``{"records": [spend_record…], "summary": spend_summary…}``
    (the records oldest first, the summary beside the incident's estimate)."""
    estimate = (incident_estimate(incident, lang) or {}).get("estimate")
    return {"records": [spend_record(row, lang)
                        for row in incident.spends.select_related("recorded_by")],
            "summary": spend_summary(incident, estimate, lang)}
