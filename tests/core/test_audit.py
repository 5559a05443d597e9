"""The hash-chained audit trail: append-only, every link checked, tampering found."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from rouei.core.audit import GENESIS, compute_hash, digest, record_event, verify_chain
from rouei.core.models import AuditChainHead, AuditEvent, AuditLogImmutable

pytestmark = pytest.mark.django_db


def _record(n: int, actor=None, incident_id: int = 7) -> list[AuditEvent]:
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(record_event(actor=actor, action="test.event", incident_id=incident_id,
                                       before={"i": i}, after={"i": i + 1},
                                       details={"n": i}))
    return events


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_chain_empty_trail_is_intact():
    assert verify_chain() is None


def test_record_event_links_each_row_to_the_previous_hash(user):
    events = _record(3, actor=user)
    assert [e.sequence for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert all(e.hash == compute_hash(e) for e in AuditEvent.objects.all())
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.hash) == (3, events[2].hash)
    assert verify_chain() is None


def test_record_event_stores_digests_not_states():
    (event,) = _record(1)
    assert event.before_digest == digest({"i": 0}) and len(event.after_digest) == 64
    assert digest(None) == ""


@pytest.mark.django_db(transaction=True)
def test_record_event_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record_event(actor=None, action="test.event")


def test_record_event_rolled_back_with_the_change_leaves_the_chain_intact():
    _record(1)
    with pytest.raises(ValueError), transaction.atomic():
        record_event(actor=None, action="test.event")
        raise ValueError("the change fails after its record was written")
    _record(1)
    assert list(AuditEvent.objects.values_list("sequence", flat=True)) == [1, 2]
    assert verify_chain() is None


def test_audit_event_save_of_an_existing_row_is_refused():
    (event,) = _record(1)
    event.action = "test.other"
    with pytest.raises(AuditLogImmutable):
        event.save()


def test_audit_event_delete_is_refused():
    (event,) = _record(1)
    with pytest.raises(AuditLogImmutable):
        event.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.update(action="x")


def test_audit_event_created_directly_is_refused():
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.create(sequence=1, at="2026-11-24T00:00:00Z", action="x",
                                  prev_hash=GENESIS, hash="f" * 64)


@pytest.mark.parametrize("column, value", [
    ("action", "'test.forged'"),
    ("incident_id", "999"),
    ("after_digest", "'" + "0" * 64 + "'"),
    ("details", "'{\"n\": 42}'"),
    ("at", "'2020-01-01 00:00:00'"),
])
def test_verify_chain_tampered_row_is_named(column, value):
    events = _record(4)
    target = events[1]
    _raw(f"UPDATE core_auditevent SET {column} = {value} WHERE id = %s", [target.pk])
    broken = verify_chain()
    assert broken is not None
    assert (broken.event_id, broken.sequence, broken.code) == (target.pk, 2, "hash_mismatch")


def test_verify_chain_rehashed_forgery_breaks_the_next_link():
    events = _record(3)
    forged = AuditEvent.objects.get(pk=events[0].pk)
    forged.action = "test.forged"
    _raw("UPDATE core_auditevent SET action = %s, hash = %s WHERE id = %s",
         ["test.forged", compute_hash(forged), forged.pk])
    broken = verify_chain()
    assert (broken.event_id, broken.code) == (events[1].pk, "prev_hash_mismatch")


def test_verify_chain_deleted_row_is_found_at_the_gap():
    events = _record(4)
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    broken = verify_chain()
    assert (broken.event_id, broken.sequence, broken.code) == (events[2].pk, 3, "sequence_gap")


def test_verify_chain_deleted_newest_row_is_found_by_the_head():
    events = _record(3)
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    broken = verify_chain()
    assert broken.code == "head_mismatch" and broken.sequence == 3


def test_record_event_after_a_flush_restarts_the_chain():
    # A test database flushed between tests loses the head row with the events: start again.
    AuditChainHead.objects.all().delete()
    (event,) = _record(1)
    assert event.sequence == 1 and verify_chain() is None
