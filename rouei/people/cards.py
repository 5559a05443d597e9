"""The incident page's card: how many people the registry holds, confirmed and possibly
affected (counts only: no personal data, so every member sees it), and the warning while the
registry's look-up keys are stale (``rouei people reindex`` not run yet)."""

from __future__ import annotations

from django.db import connection

from rouei.core import changes, prepared
from rouei.people.maintenance import STALE_KEYS_WARNING, UNRECORDED_KEY_RULES, stale_rules
from rouei.people.models import Person, RegistryKeyRules

_PEOPLE = f'"{Person._meta.db_table}"'
_RULES = f'"{RegistryKeyRules._meta.db_table}"'
# What decides the card, in one query of index look-ups (never a pass over the registry): the
# stamp of the registry's recorded changes (``rouei.core.changes``), the rules its keys were
# built with, and whether it holds anyone.
_KEY_SQL = (
    f"SELECT ({changes.stamp_sql(connection.ops.quote_name)}), "  # noqa: S608
    f'(SELECT r."version" FROM {_RULES} r WHERE r."incident_id" = %s), '
    f'(SELECT r."address_normaliser" FROM {_RULES} r WHERE r."incident_id" = %s), '
    f'EXISTS (SELECT 1 FROM {_PEOPLE} p WHERE p."incident_id" = %s)')
# The two counts in one pass over the incident's people: read only when the card is rendered
# again (its key changed), not on every view of the incident page.
_COUNTS_SQL = (f'SELECT COUNT(p."id"), COUNT(CASE WHEN p."confirmed" THEN 1 END) '  # noqa: S608
               f'FROM {_PEOPLE} p WHERE p."incident_id" = %s')


def _decided(request, incident) -> tuple:
    """The card's key, read once per view (the key and the context both ask): the change
    stamp and whether the keys are stale (``maintenance.stale_rules``)."""
    known = request.__dict__.setdefault("_rouei_people_card", {})
    if incident.pk not in known:
        with prepared.cursor() as cursor:
            cursor.execute(_KEY_SQL, [incident.pk] * 4)
            stamp, version, normaliser, anyone = cursor.fetchone()
        recorded = UNRECORDED_KEY_RULES if version is None else (version, normaliser)
        known[incident.pk] = (stamp, stale_rules(recorded, bool(anyone)))
    return known[incident.pk]


def registry_card_key(request, incident) -> tuple:
    """The card is kept as HTML until what it shows may have changed: any write to the
    registry, or the keys turning stale or current (a reindex changes no person's row)."""
    return _decided(request, incident)


def registry_card(request, incident) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL, [incident.pk])
        total, confirmed = cursor.fetchone()
    return {"people": {"total": total, "confirmed": confirmed, "possible": total - confirmed},
            "stale_keys": str(STALE_KEYS_WARNING) if _decided(request, incident)[1] else ""}
