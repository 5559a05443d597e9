"""Keeping the registry's blind indexes under the current key (after ``ROUEI_INDEX_KEYS`` gets
a new first key) and the current look-up key rules (after ``registry.LOOKUP_RULES_VERSION``
changes): ``rouei people reindex``. Data-key rotation needs nothing here: the sealed record is
an ``EncryptedTextField``, which ``rouei manage rotate_data_keys`` covers."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from rouei.core.audit import record_event
from rouei.people.models import Person, PersonKey, RegistryKeyRules
from rouei.people.registry import (
    FIRST_ADDRESS_NORMALISER,
    FIRST_LOOKUP_RULES_VERSION,
    LOOKUP_RULES_VERSION,
    current_address_normaliser,
    digests,
)

BATCH = 2_000
# What the window, the registry page and the CLI say while ``keys_are_stale``.
# An operator cannot run the command, so it says who must and what is at stake meanwhile.
STALE_KEYS_WARNING = _("The look-up keys were built with older rules: a caller may not be found "
                       "by name and address until an administrator runs: rouei people reindex")


# The rules of an incident without a row: indexed before they were recorded.
UNRECORDED_KEY_RULES = (FIRST_LOOKUP_RULES_VERSION, FIRST_ADDRESS_NORMALISER)


def current_key_rules() -> tuple[int, str]:
    """The look-up key rules this process builds and queries keys with: the rules' version
    and the address normaliser."""
    return LOOKUP_RULES_VERSION, current_address_normaliser()


def recorded_key_rules(incident) -> tuple[int, str]:
    """The rules the incident's keys were built with (one query). An incident without a row
    was indexed before they were recorded: the first version, the default normaliser."""
    with connection.cursor() as cursor:  # SQL written once: read on every API look-up
        cursor.execute(RECORDED_SQL, [incident.pk])
        row = cursor.fetchone()
    return tuple(row) if row else UNRECORDED_KEY_RULES


# Also a statement of the look-up's search message (``services.search``).
RECORDED_SQL = (f'SELECT "version", "address_normaliser" FROM "{RegistryKeyRules._meta.db_table}" '  # noqa: S608
                 'WHERE "incident_id" = %s')


def key_rules_version(incident) -> int:
    """The version of the look-up key rules the incident's keys were built with."""
    return recorded_key_rules(incident)[0]


def stale_rules(recorded: tuple[int, str], has_people) -> bool:
    """The one decision: keys built under ``recorded`` rules (version, address normaliser) are
    stale when they differ from this process's and there are keys at all. ``has_people`` is
    a bool or a callable asked only when the rules differ (a query the common case skips)."""
    if tuple(recorded) == current_key_rules():
        return False
    return bool(has_people() if callable(has_people) else has_people)


def keys_are_stale(incident, recorded: tuple[int, str] | None = None) -> bool:
    """Whether the incident has people whose keys were built under other rules than this
    process's (another version or another address normaliser): a caller on such a record may
    not be found until ``rouei people reindex``. One query while the keys are current, none
    when ``recorded`` (the rules read with the search, ``services.search``) is given."""
    return stale_rules(recorded or recorded_key_rules(incident),
                       lambda: Person.objects.filter(incident=incident).exists())


def record_current_key_rules(incident_ids) -> None:
    """The incidents' keys are all built with the current rules (inside the writer's
    transaction)."""
    version, normaliser = current_key_rules()
    for incident_id in incident_ids:
        RegistryKeyRules.objects.update_or_create(
            incident_id=incident_id,
            defaults={"version": version, "address_normaliser": normaliser})


def reindex_all() -> int:
    """Every person's keys recomputed under the first index key and the current rules, a batch
    per transaction (a look-up searches under every configured key meanwhile, so nothing is
    missed); then every incident's keys are recorded as built with the current rules. One
    audit event with the count."""
    count = 0
    last = 0
    while True:
        with transaction.atomic():
            people = list(Person.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
            if not people:
                break
            PersonKey.objects.filter(person__in=people).delete()
            PersonKey.objects.bulk_create(
                PersonKey(person=p, incident_id=p.incident_id, kind=kind, digest=digest)
                for p in people for kind, digest in digests(p.record()))
            count += len(people)
            last = people[-1].pk
    with transaction.atomic():
        record_current_key_rules(
            Person.objects.order_by().values_list("incident_id", flat=True).distinct())
        record_event(actor=None, action="people.reindex",
                     details={"people": count, "key_rules": LOOKUP_RULES_VERSION,
                              "address_normaliser": current_address_normaliser()})
    return count
