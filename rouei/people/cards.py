"""The incident page's card: how many people the registry holds, confirmed and possibly
affected (counts only: no personal data, so every member sees it), and the warning while the
registry's look-up keys are stale (``rouei people reindex`` not run yet)."""

from __future__ import annotations

from django.db import connection

from rouei.people.maintenance import STALE_KEYS_WARNING, UNRECORDED_KEY_RULES, stale_rules
from rouei.people.models import Person, RegistryKeyRules

# The two counts in one pass over the incident's people (not the registry page's counts per
# notice status, which grouped and sorted every row on each view of the incident page), with
# the rules the keys were built with in the same query: the card asks once per view.
_SHOWN_SQL = (
    f'SELECT COUNT(p."id"), COUNT(CASE WHEN p."confirmed" THEN 1 END), '  # noqa: S608
    f'(SELECT r."version" FROM "{RegistryKeyRules._meta.db_table}" r WHERE r."incident_id" = %s), '
    f'(SELECT r."address_normaliser" FROM "{RegistryKeyRules._meta.db_table}" r '
    f'WHERE r."incident_id" = %s) '
    f'FROM "{Person._meta.db_table}" p WHERE p."incident_id" = %s')


def _shown(request, incident) -> dict:
    """What the card shows, read once per view (the key and the context both ask): the
    counts, and whether the keys are stale (``maintenance.stale_rules``)."""
    known = request.__dict__.setdefault("_rouei_people_card", {})
    if incident.pk not in known:
        with connection.cursor() as cursor:
            cursor.execute(_SHOWN_SQL, [incident.pk] * 3)
            total, confirmed, version, normaliser = cursor.fetchone()
        recorded = UNRECORDED_KEY_RULES if version is None else (version, normaliser)
        known[incident.pk] = {
            "people": {"total": total, "confirmed": confirmed, "possible": total - confirmed},
            "stale": stale_rules(recorded, total > 0)}
    return known[incident.pk]


def registry_card_key(request, incident) -> tuple:
    """The card is kept as HTML until what it shows changes: the counts, or the keys turning
    stale or current (a reindex changes no person's row)."""
    shown = _shown(request, incident)
    people = shown["people"]
    return people["total"], people["confirmed"], shown["stale"]


def registry_card(request, incident) -> dict:
    shown = _shown(request, incident)
    return {"people": shown["people"],
            "stale_keys": str(STALE_KEYS_WARNING) if shown["stale"] else ""}
