"""Keeping the registry's blind indexes under the current key (after ``ROUEI_INDEX_KEYS`` gets
a new first key: ``rouei people reindex``). Data-key rotation needs nothing here: the sealed
record is an ``EncryptedTextField``, which ``rouei manage rotate_data_keys`` covers."""

from __future__ import annotations

from django.db import transaction

from rouei.core.audit import record_event
from rouei.people.models import Person, PersonKey
from rouei.people.registry import digests

BATCH = 2_000


def reindex_all() -> int:
    """Every person's keys recomputed under the first index key, a batch per transaction (a
    look-up searches under every configured key meanwhile, so nothing is missed). One audit
    event with the count."""
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
        record_event(actor=None, action="people.reindex", details={"people": count})
    return count
