"""Keeping the registry's blind indexes under the current key (after ``ROUEI_INDEX_KEYS`` gets
a new first key) and the current look-up key rules (after ``registry.LOOKUP_RULES_VERSION``
changes): ``rouei people reindex``. Data-key rotation needs nothing here: the sealed record is
an ``EncryptedTextField``, which ``rouei manage rotate_data_keys`` covers."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from rouei.core.audit import record_event
from rouei.people.models import Person, PersonKey, RegistryKeyRules
from rouei.people.registry import FIRST_LOOKUP_RULES_VERSION, LOOKUP_RULES_VERSION, digests

BATCH = 2_000
# What the window, the registry page and the CLI say while ``keys_are_stale``.
# An operator cannot run the command, so it says who must and what is at stake meanwhile.
STALE_KEYS_WARNING = _("The look-up keys were built with older rules: a caller may not be found "
                       "by name and address until an administrator runs: rouei people reindex")


def key_rules_version(incident) -> int:
    """The version of the look-up key rules the incident's keys were built with."""
    row = RegistryKeyRules.objects.filter(incident=incident).first()
    return row.version if row else FIRST_LOOKUP_RULES_VERSION


def keys_are_stale(incident) -> bool:
    """Whether the incident has people whose keys were built under other rules than this
    code's: a caller on such a record may not be found until ``rouei people reindex``."""
    return (key_rules_version(incident) != LOOKUP_RULES_VERSION
            and Person.objects.filter(incident=incident).exists())


def record_current_key_rules(incident_ids) -> None:
    """The incidents' keys are all built with the current rules (inside the writer's
    transaction)."""
    for incident_id in incident_ids:
        RegistryKeyRules.objects.update_or_create(
            incident_id=incident_id, defaults={"version": LOOKUP_RULES_VERSION})


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
                     details={"people": count, "key_rules": LOOKUP_RULES_VERSION})
    return count
