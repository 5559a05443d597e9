"""Writing and checking the hash-chained audit trail.

``record_event`` is the only writer. It must run inside the caller's transaction (the change and
its record commit or roll back together) and locks the chain head first, so concurrent writers
queue up instead of forking the chain: ``select_for_update`` on PostgreSQL; on SQLite the
connection opens every transaction with ``BEGIN IMMEDIATE`` (see ``rouei.config.env``), which
serialises writers. Unique constraints on ``sequence``, ``prev_hash`` and ``hash`` make a fork
impossible even if the lock were bypassed.

Each row's hash is SHA-256 over a canonical JSON (sorted keys, no spaces, UTF-8) of its
sequence, time (UTC, microseconds), actor id, incident id, action, object type and id,
before/after digests, details and the previous hash. ``verify_chain`` recomputes every hash and
link in sequence order and returns the first broken link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from rouei.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
HASH_FORMAT = 1  # bump (and keep the old one verifiable) if the hashed fields ever change


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"not JSON-serialisable for the audit trail: {type(value).__name__}")


def digest(value: Any) -> str:
    """SHA-256 (hex) of a JSON-ready value's canonical form; '' for ``None`` (no state)."""
    if value is None:
        return ""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def state(instance: models.Model, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """A model instance's fields as a JSON-ready dict (foreign keys as ids) for ``digest``."""
    out: dict[str, Any] = {"pk": instance.pk}
    for name in fields:
        field = instance._meta.get_field(name)
        out[name] = getattr(instance, field.attname)
    return json.loads(canonical_json(out))


def event_payload(event: AuditEvent) -> dict[str, Any]:
    """What a row's hash covers."""
    return {
        "format": HASH_FORMAT,
        "sequence": event.sequence,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "incident": event.incident_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": event.before_digest,
        "after": event.after_digest,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical_json(event_payload(event)).encode("utf-8")).hexdigest()


def _locked_head() -> AuditChainHead:
    if not AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON).exists():
        # First event ever (or a test database just flushed): start from the newest row, if any.
        last = AuditEvent.objects.order_by("-sequence").first()
        AuditChainHead.objects.get_or_create(
            pk=AuditChainHead.SINGLETON,
            defaults={"sequence": last.sequence if last else 0,
                      "hash": last.hash if last else GENESIS})
    return AuditChainHead.objects.select_for_update().get(pk=AuditChainHead.SINGLETON)


def record_event(*, actor, action: str, obj: models.Model | None = None,
                 incident_id: int | None = None, before: Any = None, after: Any = None,
                 details: dict | None = None) -> AuditEvent:
    """Append one event to the chain. ``before``/``after`` are JSON-ready states, stored as
    digests only. Call inside ``transaction.atomic()``, after the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_event() must run inside the transaction of the change")
    head = _locked_head()
    event = AuditEvent(
        sequence=head.sequence + 1,
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        incident_id=incident_id,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before_digest=digest(before),
        after_digest=digest(after),
        details=json.loads(canonical_json(details or {})),
        prev_hash=head.hash,
    )
    event.hash = compute_hash(event)
    event._via_record_event = True
    event.save()
    head.sequence, head.hash = event.sequence, event.hash
    head.save(update_fields=["sequence", "hash"])
    return event


def record_view(*, actor, what: str, obj: models.Model | None = None,
                incident_id: int | None = None, details: dict | None = None) -> AuditEvent:
    """Record that ``actor`` was shown sensitive data (閲覧記録): one ``<what>.view`` event per
    page view, e.g. ``record_view(actor=user, what="notes", incident_id=incident.pk)``.

    A view changes nothing, so it opens its own transaction; ``details`` holds codes and ids
    only, as for every event."""
    with transaction.atomic():
        return record_event(actor=actor, action=f"{what}.view", obj=obj,
                            incident_id=incident_id, details=details)


@dataclass(frozen=True)
class BrokenLink:
    """The first place where the chain does not hold."""

    event_id: int | None
    sequence: int | None
    code: str  # hash_mismatch · prev_hash_mismatch · sequence_gap · head_mismatch · head_missing
    message: str

    def __str__(self) -> str:
        where = (f"event id {self.event_id}, sequence {self.sequence}"
                 if self.event_id is not None else "chain head")
        return f"{where}: {self.message}"


def verify_chain() -> BrokenLink | None:
    """Walk the chain in sequence order; ``None`` if every row and link holds."""
    expected_sequence, prev_hash, count = 1, GENESIS, 0
    rows = AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000)
    for event in rows:
        count += 1
        actual = compute_hash(event)
        if actual != event.hash:
            return BrokenLink(event.pk, event.sequence, "hash_mismatch",
                              "the row's contents do not match its stored hash "
                              f"(stored {event.hash[:12]}…, recomputed {actual[:12]}…): "
                              "the row was altered")
        if event.sequence != expected_sequence:
            return BrokenLink(event.pk, event.sequence, "sequence_gap",
                              f"expected sequence {expected_sequence} but found "
                              f"{event.sequence}: rows before this one were removed")
        if event.prev_hash != prev_hash:
            return BrokenLink(event.pk, event.sequence, "prev_hash_mismatch",
                              "its previous-hash does not match the hash of the row before it "
                              f"({event.prev_hash[:12]}… ≠ {prev_hash[:12]}…)")
        expected_sequence, prev_hash = event.sequence + 1, event.hash
    head = AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON).first()
    if head is None:
        if count:
            return BrokenLink(None, None, "head_missing",
                              f"the chain head row is missing ({count} events)")
        return None
    if head.sequence != expected_sequence - 1 or head.hash != prev_hash:
        return BrokenLink(None, head.sequence, "head_mismatch",
                          f"the head records sequence {head.sequence} but the last event is "
                          f"{expected_sequence - 1}: the newest rows were removed or altered")
    return None
