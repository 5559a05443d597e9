"""Writing and checking the signed, hash-chained audit trail.

``record_event`` is the only writer. It must run inside the caller's transaction (the change and
its record commit or roll back together) and locks the chain head first, so concurrent writers
queue up instead of forking the chain: ``select_for_update`` on PostgreSQL; on SQLite the
connection opens every transaction with ``BEGIN IMMEDIATE`` (see ``rouei.config.env``), which
serialises writers. Unique constraints on ``sequence``, ``prev_hash`` and ``hash`` make a fork
impossible even if the lock were bypassed.

On PostgreSQL the lock is held only until the commit record is *written*, not until it is on
disk: ``record_event`` turns ``synchronous_commit`` off for its transaction, and right after the
commit, before it returns (and before any checkpoint of the row is written), waits for the
write-ahead log to be flushed past that commit with one small synchronous transaction of its
own (``durability_barrier``). The log is flushed in order, so the row is durable before the
page or answer that recorded it is returned, as before; what changes is that concurrent
writers no longer wait for each other's disk flush while holding the chain head, and their
barriers share one flush (group commit). A crash between commit and barrier loses only rows
whose request never got an answer, newest first, so the chain keeps no hole: a lost suffix
cannot be followed by a durable row, because any later row's commit comes later in the log.

Each row's hash is an HMAC-SHA256, under the first audit key (``rouei.core.audit_keys``; a key
that is not in the database), of a canonical JSON (sorted keys, no spaces, UTF-8) of its hash
format, signing key id, sequence, time (UTC, microseconds), actor id, incident id, action,
object type and id, before/after digests, details and the previous hash. Without the key
nobody can append a row or rewrite one and recompute the following hashes.

Hash formats: 2 is the keyed row. 1 is the row written before keys existed: plain SHA-256 of
the same JSON without the key id. Format-1 rows still verify, but only as the prefix of the
trail written before the first keyed row: the first signed checkpoint records where that
prefix ends (``legacy_until``; the migration that added keys wrote it), and a format-1 row
after it, or after any keyed row, is a forgery. The first keyed row's HMAC covers the last
legacy row's hash, so the prefix cannot be rewritten either.

``record_view`` (an audited page view or look-up, outside any transaction) on PostgreSQL is
one round trip (``_record_view_in_one_round_trip``): the row's HMAC covers the previous row's
hash, and the key is never sent to the database, so the row is signed against the head this
process last saw committed, and one statement locks the head and writes the row only if the
head is still that one (else it returns the head, and the row is signed again). The head is
held for no round trip; the chain and its checks are exactly those of ``record_event``.

After commit, ``record_event`` lets ``rouei.core.checkpoints`` append a signed checkpoint
(sequence and hash) outside the database when one is due. ``verify_chain`` walks the database
alone; ``verify_trail`` (``rouei audit verify``) also compares the trail with the checkpoints,
which is what finds removed newest rows, a wiped table and an older copy put back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from rouei.core import audit_keys, checkpoints
from rouei.core.models import AuditChainHead, AuditEvent

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
HASH_FORMAT = 2  # bump (and keep the old ones verifiable) if the hashed fields ever change
LEGACY_HASH_FORMAT = 1  # unkeyed SHA-256, rows written before audit keys


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
    """What a row's hash covers (format 1 exactly as it was, without a key id)."""
    payload = {
        "format": event.hash_format,
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
    if event.hash_format != LEGACY_HASH_FORMAT:
        payload["key_id"] = event.key_id
    return payload


def compute_hash(event: AuditEvent) -> str:
    """The row's hash: HMAC-SHA256 under the key its ``key_id`` names (``UnknownAuditKey`` if
    that key is not configured), or for a format-1 row the plain SHA-256 it was written with."""
    message = canonical_json(event_payload(event))
    if event.hash_format == LEGACY_HASH_FORMAT:
        return hashlib.sha256(message.encode("utf-8")).hexdigest()
    if event.hash_format != HASH_FORMAT:
        raise ValueError(f"unknown audit hash format {event.hash_format}")
    return audit_keys.sign(audit_keys.key_for(event.key_id), message)


def _locked_head() -> AuditChainHead:
    # The head exists but for the first event ever: lock it in one query (every audited page
    # view comes through here).
    head = AuditChainHead.objects.select_for_update().filter(pk=AuditChainHead.SINGLETON).first()
    if head is not None:
        return head
    # First event ever (or a test database just flushed): start from the newest row, if any.
    last = AuditEvent.objects.order_by("-sequence").first()
    AuditChainHead.objects.get_or_create(
        pk=AuditChainHead.SINGLETON,
        defaults={"sequence": last.sequence if last else 0,
                  "hash": last.hash if last else GENESIS})
    return AuditChainHead.objects.select_for_update().get(pk=AuditChainHead.SINGLETON)


# A transactional logical message: it gives the barrier's transaction a WAL record of its own,
# so its commit waits for the flush (a transaction that wrote nothing would not), and it writes
# no table row. Granted to PUBLIC, needs no superuser; decoded only if logical decoding is on.
_BARRIER_SQL = "SELECT pg_logical_emit_message(true, 'rouei.audit', '')"


def durability_barrier() -> None:
    """Return once the write-ahead log is flushed past every commit this connection made
    (PostgreSQL): one synchronous transaction that writes a logical message. Runs on commit of
    the audit row; an error propagates, so no answer is returned for an unflushed row."""
    with connection.cursor() as cursor:
        cursor.execute(_BARRIER_SQL)


def _release_head_at_commit() -> AuditChainHead | None:
    """PostgreSQL: commit without waiting for the flush (the chain head is free again as
    soon as the commit is written), then wait in ``durability_barrier`` before going on.
    Returns the chain head, locked in the same statement (``None``: SQLite, or no head row
    yet: ``_locked_head``)."""
    if connection.vendor != "postgresql":
        return None  # SQLite: one writer at a time and a synchronous commit, as before
    if not any(callback is durability_barrier for _, callback, _ in connection.run_on_commit):
        # Not robust: if the log cannot be flushed, the caller gets the error, not an answer.
        transaction.on_commit(durability_barrier)
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_HEAD_SQL, [AuditChainHead.SINGLETON])
        row = cursor.fetchone()
    if row is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('synchronous_commit', 'off', true)")
        return None
    return AuditChainHead(pk=AuditChainHead.SINGLETON, sequence=row[1], hash=row[2])


# The fixed statements of ``record_event`` on PostgreSQL, written once (not compiled by the ORM
# for every event): the head locked with the setting above, then the row inserted and the head
# moved in one statement.
_HEAD = AuditChainHead._meta.db_table
_EVENTS = AuditEvent._meta.db_table
_LOCK_HEAD_SQL = (f"SELECT set_config('synchronous_commit', 'off', true), sequence, hash "  # noqa: S608
                  f'FROM "{_HEAD}" WHERE id = %s FOR UPDATE')
_EVENT_COLUMNS = ("hash_format", "key_id", "sequence", "at", "actor_id", "incident_id",
                  "action", "object_type", "object_id", "before_digest", "after_digest",
                  "details", "prev_hash", "hash")
_APPEND_SQL = (
    f'WITH event AS (INSERT INTO "{_EVENTS}" ({", ".join(_EVENT_COLUMNS)}) '  # noqa: S608
    f"VALUES ({', '.join(['%s'] * (len(_EVENT_COLUMNS) - 3))}, %s::jsonb, %s, %s) RETURNING id) "
    f'UPDATE "{_HEAD}" SET sequence = %s, hash = %s WHERE id = %s RETURNING (SELECT id FROM event)')


def _append_and_move_head(event: AuditEvent) -> None:
    """Insert ``event`` and move the (locked) head to it: one round trip."""
    values = [getattr(event, name) for name in _EVENT_COLUMNS]
    values[_EVENT_COLUMNS.index("details")] = canonical_json(event.details)
    with connection.cursor() as cursor:
        cursor.execute(_APPEND_SQL, [*values, event.sequence, event.hash,
                                     AuditChainHead.SINGLETON])
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias


def _new_event(head: AuditChainHead, *, actor, action: str, obj: models.Model | None,
               incident_id: int | None, before: Any, after: Any,
               details: dict | None) -> AuditEvent:
    """The event that follows ``head``, with its keyed hash (not saved)."""
    event = AuditEvent(
        hash_format=HASH_FORMAT,
        key_id=audit_keys.signing_key()[0],
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
    return event


def record_event(*, actor, action: str, obj: models.Model | None = None,
                 incident_id: int | None = None, before: Any = None, after: Any = None,
                 details: dict | None = None) -> AuditEvent:
    """Append one event to the chain. ``before``/``after`` are JSON-ready states, stored as
    digests only. Call inside ``transaction.atomic()``, after the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_event() must run inside the transaction of the change")
    # Before the checkpoint's on_commit: flushed, then checkpointed. On PostgreSQL the head is
    # locked in the same round trip (two statements per event instead of four: every round
    # trip under the head's lock is time every other writer waits).
    head = _release_head_at_commit()
    if head is None:
        head = _locked_head()
    event = _new_event(head, actor=actor, action=action, obj=obj, incident_id=incident_id,
                       before=before, after=after, details=details)
    if connection.vendor == "postgresql":
        _append_and_move_head(event)
    else:
        event._via_record_event = True
        event.save()
        head.sequence, head.hash = event.sequence, event.hash
        head.save(update_fields=["sequence", "hash"])
    sequence, hash_ = event.sequence, event.hash

    def checkpoint_if_due() -> None:  # a function, not a partial: Django logs its __qualname__
        _remember_head(sequence, hash_)  # committed: the next audited read's guess
        checkpoints.after_commit(sequence, hash_)

    # robust: a checkpoint that cannot be written is logged; the committed change stands.
    transaction.on_commit(checkpoint_if_due, robust=True)
    return event


def record_view(*, actor, what: str, obj: models.Model | None = None,
                incident_id: int | None = None, details: dict | None = None) -> AuditEvent:
    """Record that ``actor`` was shown sensitive data (閲覧記録): one ``<what>.view`` event per
    page view, e.g. ``record_view(actor=user, what="notes", incident_id=incident.pk)``.

    A view changes nothing, so it opens its own transaction; ``details`` holds codes and ids
    only, as for every event. On PostgreSQL outside any transaction (a page view, an API
    look-up) that transaction is one round trip when the head is guessed right
    (``_record_view_in_one_round_trip``), two otherwise."""
    if (connection.vendor == "postgresql" and not connection.in_atomic_block
            and connection.get_autocommit()):  # no transaction of the caller's to end
        return _record_view_in_one_round_trip(
            actor=actor, action=f"{what}.view", obj=obj, incident_id=incident_id,
            details=details)
    with transaction.atomic():
        return record_event(actor=actor, action=f"{what}.view", obj=obj,
                            incident_id=incident_id, details=details)


# The head this process last saw committed (sequence, hash): the guess an audited read signs
# its row against before it knows the head. Only ever a committed head, so a row's time is
# never earlier than the time of the row before it. A wrong guess costs one more round trip.
_head_guess: tuple[int, str] | None = None


def _remember_head(sequence: int, hash_: str) -> None:
    global _head_guess
    _head_guess = (sequence, hash_)


# The committed head, for a read that precedes an audited read to carry in its own round trip
# (PostgreSQL: a second statement in the same message), so that the guess is fresh when
# several processes write: ``remember_head`` with the row it gives.
HEAD_SQL = f'SELECT sequence, hash FROM "{_HEAD}" WHERE id = {AuditChainHead.SINGLETON}'  # noqa: S608


def remember_head(row: tuple | None) -> None:
    """Take ``HEAD_SQL``'s row as the next audited read's guess (no row: no head yet)."""
    if row is not None:
        _remember_head(row[0], row[1])


# An audited read on PostgreSQL in ONE round trip: the app cannot compute the row's HMAC after
# locking the head without a second round trip (the key is not in the database), so it signs
# the row against the head it guesses, and one statement locks the head and — only if the head
# is still that one — inserts the row and moves the head; either way it returns the head it
# locked. The same message commits (the head is held for no round trip at all: from the lock to
# the COMMIT that follows it in the message) with the asynchronous commit, then waits for the
# flush past that commit (``_BARRIER_SQL``), only if the row was written. A wrong guess writes
# nothing and the read is signed again against the head returned; after ``_GUESSES`` wrong
# guesses (a busy chain), the head is locked first and the row signed under the lock.
_GUESSES = 3
_INSERT_COLUMNS = ", ".join(_EVENT_COLUMNS)
_INSERT_VALUES = ", ".join(["%s"] * (len(_EVENT_COLUMNS) - 3) + ["%s::jsonb", "%s", "%s"])
_APPEND_IF_HEAD_SQL = (
    "WITH head AS (SELECT set_config('synchronous_commit', 'off', true) AS asynchronous, "  # noqa: S608
    f'sequence, hash FROM "{_HEAD}" WHERE id = %s FOR UPDATE), '
    f'moved AS (UPDATE "{_HEAD}" AS moving SET sequence = %s, hash = %s FROM head '
    "WHERE moving.id = %s AND head.sequence = %s AND head.hash = %s RETURNING moving.id), "
    f'event AS (INSERT INTO "{_EVENTS}" ({_INSERT_COLUMNS}) SELECT {_INSERT_VALUES} '
    "FROM moved RETURNING id) "
    "SELECT (SELECT id FROM event), sequence, hash FROM head")


def _one_round_trip_sql() -> str:
    # The flush barrier only for a row written in the same message (nothing to wait for
    # otherwise): its hash is unique, so the check is one index probe.
    return (f"BEGIN; {_APPEND_IF_HEAD_SQL}; COMMIT; "
            f'{_BARRIER_SQL} FROM "{_EVENTS}" WHERE hash = %s')


def _record_view_in_one_round_trip(*, actor, action: str, obj: models.Model | None,
                                   incident_id: int | None, details: dict | None
                                   ) -> AuditEvent:
    connection.ensure_connection()
    for _ in range(_GUESSES):
        guess = _head_guess
        if guess is None:
            break
        head = AuditChainHead(pk=AuditChainHead.SINGLETON, sequence=guess[0], hash=guess[1])
        event = _new_event(head, actor=actor, action=action, obj=obj, incident_id=incident_id,
                           before=None, after=None, details=details)
        values = [getattr(event, name) for name in _EVENT_COLUMNS]
        values[_EVENT_COLUMNS.index("details")] = canonical_json(event.details)
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    _one_round_trip_sql(),
                    [AuditChainHead.SINGLETON, event.sequence, event.hash,
                     AuditChainHead.SINGLETON, head.sequence, head.hash, *values,
                     event.hash])
                cursor.nextset()  # past BEGIN's empty result
                row = cursor.fetchone()
        except BaseException:
            _roll_back_own_transaction()
            raise
        if row is None:  # no head row yet (first event ever): the general way, once
            break
        written, sequence, hash_ = row
        if written is None:  # the head had moved on: sign against the one we were given
            _remember_head(sequence, hash_)
            continue
        event.pk = written
        event._state.adding = False
        event._state.db = connection.alias
        _remember_head(event.sequence, event.hash)
        _checkpoint_after_view(event)
        return event
    return _record_view_in_two_round_trips(actor=actor, action=action, obj=obj,
                                           incident_id=incident_id, details=details)


def _checkpoint_after_view(event: AuditEvent) -> None:
    try:  # as record_event's robust on_commit: a checkpoint that cannot be written is logged
        checkpoints.after_commit(event.sequence, event.hash)
    except Exception:
        logger.exception("the audit checkpoint after event %s could not be written",
                         event.sequence)


# An audited read on PostgreSQL in its own transaction, sent as two messages of several
# statements each (Django's cursors bind parameters on the client, so a message may hold
# several): BEGIN and the head locked (with the asynchronous commit), then — the HMAC needs the
# head's hash, so it is computed in between, in Python, with the key that is not in the
# database — the row inserted and the head moved, COMMIT, and the durability barrier. The same
# statements, locks and order as ``record_event`` inside ``transaction.atomic()`` followed by
# ``durability_barrier``: the chain head is held from the first message until the COMMIT of
# the second. The way when the head is not known or keeps moving under the guesses above.
_BEGIN_AND_LOCK_HEAD_SQL = f"BEGIN; {_LOCK_HEAD_SQL}"


def _record_view_in_two_round_trips(*, actor, action: str, obj: models.Model | None,
                                    incident_id: int | None, details: dict | None
                                    ) -> AuditEvent:
    connection.ensure_connection()
    committed = False
    try:
        with connection.cursor() as cursor:
            cursor.execute(_BEGIN_AND_LOCK_HEAD_SQL, [AuditChainHead.SINGLETON])
            cursor.nextset()  # past BEGIN's empty result
            row = cursor.fetchone()
            if row is None:  # no head row yet (first event ever): the general way, once
                cursor.execute("ROLLBACK")
                with transaction.atomic():
                    return record_event(actor=actor, action=action, obj=obj,
                                        incident_id=incident_id, details=details)
            head = AuditChainHead(pk=AuditChainHead.SINGLETON, sequence=row[1], hash=row[2])
            event = _new_event(head, actor=actor, action=action, obj=obj,
                               incident_id=incident_id, before=None, after=None,
                               details=details)
            values = [getattr(event, name) for name in _EVENT_COLUMNS]
            values[_EVENT_COLUMNS.index("details")] = canonical_json(event.details)
            cursor.execute(f"{_APPEND_SQL}; COMMIT; {_BARRIER_SQL}",
                           [*values, event.sequence, event.hash, AuditChainHead.SINGLETON])
            event.pk = cursor.fetchone()[0]
            committed = True
    except BaseException:
        if not committed:
            _roll_back_own_transaction()
        raise
    event._state.adding = False
    event._state.db = connection.alias
    _remember_head(event.sequence, event.hash)
    _checkpoint_after_view(event)
    return event


def _roll_back_own_transaction() -> None:
    """End the transaction ``_record_view_in_two_round_trips`` began, if it is still open
    (a failed statement leaves it aborted); the connection goes back to autocommit."""
    from psycopg import pq  # PostgreSQL only

    raw = connection.connection
    if raw is None or raw.closed:
        return
    if raw.info.transaction_status != pq.TransactionStatus.IDLE:
        raw.execute("ROLLBACK")


@dataclass(frozen=True)
class BrokenLink:
    """The first place where the trail does not hold."""

    event_id: int | None
    sequence: int | None
    # In the database: hash_mismatch · prev_hash_mismatch · sequence_gap · head_mismatch ·
    # head_missing · unknown_key · unkeyed_row. Against the checkpoints: truncated · wiped ·
    # checkpoint_mismatch · checkpoint_altered · checkpoint_unreadable · checkpoints_missing.
    code: str
    message: str
    where: str = ""  # e.g. "checkpoint file …, line 3" when it is not a row

    def __str__(self) -> str:
        if self.event_id is not None:
            where = f"event id {self.event_id}, sequence {self.sequence}"
        else:
            where = self.where or "chain head"
        return f"{where}: {self.message}"


@dataclass
class _Walk:
    count: int = 0
    last_sequence: int = 0
    last_hash: str = GENESIS
    first_keyed: int | None = None
    keys_used: set[str] = field(default_factory=set)


def _walk(*, legacy_until: int | None, expected: dict[int, list[tuple[str, str]]]
          ) -> tuple[BrokenLink | None, _Walk]:
    """Every row in sequence order: its own hash (keyed), its sequence, its link, and the hash
    each checkpoint recorded for that sequence."""
    walk = _Walk()
    expected_sequence, prev_hash = 1, GENESIS
    rows = AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000)
    for event in rows:
        walk.count += 1
        if event.hash_format == LEGACY_HASH_FORMAT:
            if walk.first_keyed is not None or (legacy_until is not None
                                                and event.sequence > legacy_until):
                return BrokenLink(event.pk, event.sequence, "unkeyed_row",
                                  "the row is not signed with an audit key although it comes "
                                  "after the switch to signed rows: it was forged or rewritten "
                                  "without the key"), walk
        elif walk.first_keyed is None:
            walk.first_keyed = event.sequence
        try:
            actual = compute_hash(event)
        except audit_keys.UnknownAuditKey:
            return BrokenLink(event.pk, event.sequence, "unknown_key",
                              f"the row names the audit key {event.key_id or '(none)'}, which "
                              "is not in ROUEI_AUDIT_KEYS: it was forged, or a key that signed "
                              "rows was removed"), walk
        except ValueError:
            return BrokenLink(event.pk, event.sequence, "hash_mismatch",
                              f"the row has an unknown hash format {event.hash_format}: "
                              "the row was altered"), walk
        if event.hash_format != LEGACY_HASH_FORMAT:
            walk.keys_used.add(event.key_id)
        if not hmac.compare_digest(actual, event.hash):
            return BrokenLink(event.pk, event.sequence, "hash_mismatch",
                              "the row's contents do not match its stored hash "
                              f"(stored {event.hash[:12]}…, recomputed {actual[:12]}…): "
                              "the row was altered"), walk
        if event.sequence != expected_sequence:
            return BrokenLink(event.pk, event.sequence, "sequence_gap",
                              f"expected sequence {expected_sequence} but found "
                              f"{event.sequence}: rows before this one were removed"), walk
        if event.prev_hash != prev_hash:
            return BrokenLink(event.pk, event.sequence, "prev_hash_mismatch",
                              "its previous-hash does not match the hash of the row before it "
                              f"({event.prev_hash[:12]}… ≠ {prev_hash[:12]}…)"), walk
        for place, recorded in expected.get(event.sequence, ()):
            if recorded != event.hash:
                return BrokenLink(event.pk, event.sequence, "checkpoint_mismatch",
                                  f"the checkpoint at {place} recorded another "
                                  f"hash for this sequence ({recorded[:12]}… ≠ "
                                  f"{event.hash[:12]}…): the trail was rewritten, or an older "
                                  "copy of the database was put back"), walk
        expected_sequence, prev_hash = event.sequence + 1, event.hash
        walk.last_sequence, walk.last_hash = event.sequence, event.hash
    return None, walk


def _head_check(walk: _Walk) -> BrokenLink | None:
    head = AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON).first()
    if head is None:
        if walk.count:
            return BrokenLink(None, None, "head_missing",
                              f"the chain head row is missing ({walk.count} events)")
        return None
    if head.sequence != walk.last_sequence or head.hash != walk.last_hash:
        return BrokenLink(None, head.sequence, "head_mismatch",
                          f"the head records sequence {head.sequence} but the last event is "
                          f"{walk.last_sequence}: the newest rows were removed or altered")
    return None


def verify_chain() -> BrokenLink | None:
    """Walk the chain in the database alone, in sequence order, checking every row's keyed
    hash and link; ``None`` if every row and link holds. Removing the newest rows (with the
    head row set back), wiping the table or putting back an older copy are found only against
    the checkpoints: ``verify_trail``."""
    broken, walk = _walk(legacy_until=None, expected={})
    return broken or _head_check(walk)


@dataclass
class Verification:
    """What ``verify_trail`` checked, against what, and the first break (``broken``)."""

    events: int = 0
    keys: int = 0
    checkpoint_file: str | None = None  # what the checkpoints were read from (file, bucket)
    checkpoints: int = 0  # the signed checkpoints read
    last_checkpoint: checkpoints.Checkpoint | None = None
    written: checkpoints.Checkpoint | None = None  # the checkpoint this verification wrote
    failing_sinks: list = field(default_factory=list)  # CheckpointSinkStatus rows
    broken: BrokenLink | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _read_checkpoints(source, result: Verification) -> tuple[
        BrokenLink | None, int | None, dict[int, list[tuple[str, str]]]]:
    expected: dict[int, list[tuple[str, str]]] = {}
    legacy_until: int | None = None
    legacy_line = ""
    for place, checkpoint in source.entries():
        if checkpoint is None:
            return BrokenLink(None, None, "checkpoint_unreadable",
                              "this is not a checkpoint: the checkpoints were edited or damaged",
                              where=place), None, expected
        try:
            signed = checkpoint.signature_ok()
        except audit_keys.UnknownAuditKey:
            return BrokenLink(None, checkpoint.sequence, "checkpoint_altered",
                              f"the checkpoint names the audit key {checkpoint.key_id}, which "
                              "is not in ROUEI_AUDIT_KEYS: it was forged, or a key was "
                              "removed", where=place), None, expected
        if not signed:
            return BrokenLink(None, checkpoint.sequence, "checkpoint_altered",
                              "the checkpoint's signature does not match its contents: the "
                              "checkpoint was edited", where=place), None, expected
        if legacy_until is None:
            legacy_until, legacy_line = checkpoint.legacy_until, place
        elif checkpoint.legacy_until != legacy_until:
            return BrokenLink(None, checkpoint.sequence, "checkpoint_mismatch",
                              f"the checkpoint says unsigned rows end at sequence "
                              f"{checkpoint.legacy_until}, {legacy_line} said "
                              f"{legacy_until}: checkpoints of two trails are mixed",
                              where=place), None, expected
        expected.setdefault(checkpoint.sequence, []).append((place, checkpoint.head))
        result.checkpoints += 1
        if (result.last_checkpoint is None
                or checkpoint.sequence >= result.last_checkpoint.sequence):
            result.last_checkpoint = checkpoint
    return None, legacy_until, expected


def verify_trail(*, checkpoint_file: Path | None = None, use_checkpoints: bool = True,
                 write_checkpoint: bool = True, source=None) -> Verification:
    """Check the chain with the audit keys and against the signed checkpoints; on success
    append a ``verify`` checkpoint of the last row (``write_checkpoint``).

    The checkpoints are read before the rows, so a checkpoint written while this runs cannot
    point past what the walk sees. ``use_checkpoints=False`` checks the database alone (and
    says so). ``source``: where else to read the checkpoints from (a
    ``checkpoint_s3.S3Sink``; default the file ``checkpoint_file``, else the checkpoint file).
    ``failing_sinks`` lists the sinks whose last write failed."""
    if source is None:
        source = checkpoints.FileSource(Path(checkpoint_file) if checkpoint_file
                                        else checkpoints.path())
    result = Verification(keys=len(audit_keys.keys()),
                          failing_sinks=checkpoints.failing_sinks())
    legacy_until, expected = None, {}
    if use_checkpoints:
        result.checkpoint_file = source.label
        broken, legacy_until, expected = _read_checkpoints(source, result)
        if broken is not None:
            result.broken = broken
            return result
    broken, walk = _walk(legacy_until=legacy_until, expected=expected)
    result.events = walk.count
    if broken is None and use_checkpoints:
        broken = _against_checkpoints(walk, result, source)
    if broken is None:
        broken = _head_check(walk)
    result.broken = broken
    if broken is None and write_checkpoint and walk.count:
        result.written = checkpoints.write(
            walk.last_sequence, walk.last_hash, reason="verify",
            legacy_until=(legacy_until if legacy_until is not None
                          else (walk.first_keyed - 1 if walk.first_keyed else walk.last_sequence)))
    return result


def _against_checkpoints(walk: _Walk, result: Verification, source) -> BrokenLink | None:
    last = result.last_checkpoint
    if last is None:
        if walk.count:
            state = "is empty" if source.exists() else "is missing"
            return BrokenLink(None, None, "checkpoints_missing",
                              f"the checkpoints {source.label} {state} although the trail has "
                              f"{walk.count} events: it was removed, or it lives elsewhere "
                              "(ROUEI_AUDIT_CHECKPOINTS); --no-checkpoints checks the "
                              "database alone", where="checkpoints")
        return None
    if walk.count == 0:
        return BrokenLink(None, None, "wiped",
                          f"the trail has no events, but {result.checkpoints} checkpoints "
                          f"record up to sequence {last.sequence} (the last at {last.at}): "
                          "the audit table was emptied", where="audit trail")
    if walk.last_sequence < last.sequence:
        return BrokenLink(None, walk.last_sequence, "truncated",
                          f"the trail ends at sequence {walk.last_sequence}, but the "
                          f"checkpoint of {last.at} recorded sequence {last.sequence}: the "
                          "newest rows were removed, or an older copy of the database was "
                          "put back", where="end of the trail")
    return None
