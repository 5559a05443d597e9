"""Writing many registry rows at once, below the ORM: an import of ten million people cannot
afford a model instance per row. PostgreSQL gets COPY (ids reserved from the table's sequence
first, so the keys can point at their person); SQLite gets ``executemany`` with ids after the
highest ever given (the import holds SQLite's write lock: nobody else is inserting).

Both run inside the import's transaction; the values are what the ORM would write (the sealed
record as ``rouei.core.crypto.seal`` gives it, JSON as text, the timestamps). PostgreSQL's COPY
gets one block of text per batch (a row per line), not a call per row."""

from __future__ import annotations

import json
from functools import lru_cache

from django.db import connection
from django.utils import timezone

from rouei.core.crypto import BLIND_INDEX_BYTES
from rouei.people.models import NoticeStatus, Person, PersonKey

PERSON_COLUMNS = ("id", "created_at", "updated_at", "incident_id", "sealed", "items",
                  "confirmed", "controller", "has_email", "has_postal", "notice_status")
KEY_COLUMNS = ("person_id", "incident_id", "kind", "digest")


def reserve_ids(count: int) -> list[int]:
    """``count`` new ids of people, from the table's own sequence on PostgreSQL (so other
    writers, which take theirs from it too, never get one of them)."""
    table = Person._meta.db_table
    if not count:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence named once, not once per id: ``pg_get_serial_sequence`` in the
            # select list is called for every row, and cost PostgreSQL nine times what
            # drawing the ids did (docs/benchmarks.md, session 15).
            cursor.execute("SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)",
                           [_id_sequence(cursor), count])
            return cursor.fetchone()[0]
        cursor.execute(f'SELECT MAX(id) FROM "{table}"')  # noqa: S608 — a model's own table
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return list(range(start, start + count))


def _id_sequence(cursor) -> str:
    """The name of the sequence people's ids come from: asked once per connection."""
    known = getattr(connection, "_rouei_person_id_sequence", None)
    if known is None:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [Person._meta.db_table])
        known = connection._rouei_person_id_sequence = cursor.fetchone()[0]
    return known


def find_keys(incident_id: int, wanted: set[tuple[str, bytes]]) -> list[tuple[str, bytes, int]]:
    """(kind, digest, person id) of the incident's keys among ``wanted`` (kind, digest): one
    query per batch on PostgreSQL (the pairs as two arrays, each found through the index)."""
    if not wanted:
        return []
    table = PersonKey._meta.db_table
    pairs = list(wanted)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One index probe per pair (the subquery per pair, OFFSET 0 so that it stays one).
            # Left to itself the planner may scan all the incident's keys instead, the
            # import's own rows having no statistics yet: a full scan per batch.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL jit = off")
            probe = (f'SELECT person_id FROM "{table}" k WHERE k.incident_id = %s '  # noqa: S608 — a model's own table
                     "AND k.kind = w.kind AND k.digest = w.digest OFFSET 0")
            pairs_sql = "unnest(%s::text[], %s::bytea[]) AS w(kind, digest)"
            joined = f"{pairs_sql} CROSS JOIN LATERAL ({probe}) AS k"
            query = f"SELECT w.kind, w.digest, k.person_id FROM {joined}"  # noqa: S608
            cursor.execute(query, [[k for k, _ in pairs], [d for _, d in pairs], incident_id])
            found = [(kind, bytes(digest), pid) for kind, digest, pid in cursor.fetchall()]
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET jit")
            return found
    found = []
    for start in range(0, len(pairs), SQLITE_CHUNK):
        part = pairs[start:start + SQLITE_CHUNK]
        found.extend(
            (kind, bytes(digest), pid) for kind, digest, pid in PersonKey.objects.filter(
                incident_id=incident_id, kind__in={k for k, _ in part},
                digest__in=[d for _, d in part]).values_list("kind", "digest", "person_id")
            if (kind, bytes(digest)) in wanted)
    return found


SQLITE_CHUNK = 5_000  # SQLite's limit on a query's parameters is 32,766


def update_merged(rows: list[tuple]) -> bool:
    """People of earlier batches after a merge: (id, sealed token, item ids, confirmed, has
    e-mail, has postal address) each, in one UPDATE from arrays on PostgreSQL. Django's
    ``bulk_update`` writes a CASE with a branch per person for every column, which PostgreSQL
    tests branch by branch for every row (the cost per person grows with the people merged in
    the batch, and those grow with the file). Returns False elsewhere (the caller's ORM path)."""
    if connection.vendor != "postgresql":
        return False
    if not rows:
        return True
    table = Person._meta.db_table
    columns = list(zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" AS p SET sealed = u.sealed, items = u.items::jsonb, '  # noqa: S608 — a model's own table
            "confirmed = u.confirmed, has_email = u.has_email, has_postal = u.has_postal "
            "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::bool[], %s::bool[], "
            "%s::bool[]) AS u(id, sealed, items, confirmed, has_email, has_postal) "
            "WHERE p.id = u.id",
            [list(columns[0]), list(columns[1]), [_items_json(frozenset(i)) for i in columns[2]],
             list(columns[3]), list(columns[4]), list(columns[5])])
    return True


def add_keys(incident_id: int, rows: list[tuple[int, str, bytes]]) -> bool:
    """Keys of people of earlier batches after a merge, (person id, kind, digest) each, those
    already there skipped (any constraint, as ``ignore_conflicts``), in one INSERT from arrays
    on PostgreSQL, in the primary key's order. Returns False elsewhere (the ORM path)."""
    if connection.vendor != "postgresql":
        return False
    if not rows:
        return True
    table = PersonKey._meta.db_table
    rows = sorted(rows, key=lambda r: (r[1], r[2], r[0]))
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" (person_id, incident_id, kind, digest) '  # noqa: S608 — a model's own table
            "SELECT u.person_id, %s, u.kind, u.digest FROM unnest(%s::bigint[], %s::text[], "
            "%s::bytea[]) AS u(person_id, kind, digest) ON CONFLICT DO NOTHING",
            [incident_id, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]])
    return True


def _copy_text(value: str) -> str:
    """``value`` as a field of COPY's text format."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                 .replace("\r", "\\r"))
    return value


@lru_cache(maxsize=4096)
def _items_json(items: frozenset[str]) -> str:
    # A list repeats a few item sets on every row: each is written out once.
    return json.dumps(sorted(items))


def insert_people(incident_id: int, rows: list[tuple]) -> None:
    """New people of one incident: (id, sealed token, item ids, confirmed, controller,
    has e-mail, has postal address) each."""
    if not rows:
        return
    now = timezone.now()
    not_notified = NoticeStatus.NOT_NOTIFIED.value
    if connection.vendor == "postgresql":
        stamp = now.isoformat()
        head = f"\t{stamp}\t{stamp}\t{incident_id}\t"
        _copy(Person, PERSON_COLUMNS, "".join(
            f"{pid}{head}{sealed}\t{_copy_text(_items_json(frozenset(items)))}\t"
            f"{'t' if confirmed else 'f'}\t{_copy_text(controller)}\t"
            f"{'t' if has_email else 'f'}\t{'t' if has_postal else 'f'}\t{not_notified}\n"
            for pid, sealed, items, confirmed, controller, has_email, has_postal in rows))
        return
    stamp = connection.ops.adapt_datetimefield_value(now)
    _executemany(Person, PERSON_COLUMNS, [
        (pid, stamp, stamp, incident_id, sealed, _items_json(frozenset(items)), confirmed,
         controller, has_email, has_postal, not_notified)
        for pid, sealed, items, confirmed, controller, has_email, has_postal in rows])


def insert_keys(incident_id: int,
                rows: list[tuple[int, tuple[tuple[str, tuple[bytes, ...]], ...]]]) -> None:
    """The blind indexes of new people: (person id, its prepared keys: (kind, digests under
    every index key)…) each, the current key's digest stored, written in the order of the
    table's primary key (kind, digest): the index's pages are then visited once each, in
    order, instead of at random for every key (digests are random). On PostgreSQL one binary
    COPY, sorted and written a kind at a time by numpy (``_binary_keys``): formatting and
    sorting ~8 keys a person in Python cost the import more than PostgreSQL's writing them."""
    if not rows:
        return
    by_kind: dict[str, tuple[list[bytes], list[int]]] = {}
    for pid, keys in rows:
        for kind, digests in keys:
            found = by_kind.get(kind)
            if found is None:
                found = by_kind[kind] = ([], [])
            found[0].append(digests[0])
            found[1].append(pid)
    if not by_kind:
        return
    if connection.vendor == "postgresql" and _bigint_keys():
        _copy(PersonKey, KEY_COLUMNS, _binary_keys(incident_id, by_kind), binary=True)
        return
    keys = sorted((kind, digest, pid) for kind, (digests, pids) in by_kind.items()
                  for digest, pid in zip(digests, pids, strict=True))
    if connection.vendor == "postgresql":
        _copy(PersonKey, KEY_COLUMNS, "".join(
            f"{pid}\t{incident_id}\t{kind}\t\\\\x{digest.hex()}\n" for kind, digest, pid in keys))
        return
    _executemany(PersonKey, KEY_COLUMNS, [(pid, incident_id, kind, digest)
                                          for kind, digest, pid in keys])


# COPY's binary format: the signature, no flags, no header extension; each row its field count
# and each field its length and value (integers big-endian); -1 as the count ends the data.
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_COPY_TRAILER = b"\xff\xff"


def _bigint_keys() -> bool:
    """Whether the key table's person and incident columns are bigint (what the binary rows
    write): asked once per connection."""
    known = getattr(connection, "_rouei_bigint_keys", None)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                           "WHERE attrelid = %s::regclass AND attname IN "
                           "('person_id', 'incident_id')", [PersonKey._meta.db_table])
            types = dict(cursor.fetchall())
        known = types == {"person_id": "bigint", "incident_id": "bigint"}
        connection._rouei_bigint_keys = known
    return known


def _binary_keys(incident_id: int, by_kind: dict[str, tuple[list[bytes], list[int]]]) -> bytes:
    """COPY's binary data of the keys, (kind, digest, person id) in order: the kinds in order,
    each kind's rows sorted by digest (bytes compare as two big-endian words) and person."""
    import numpy as np

    parts = [_COPY_HEADER]
    for kind in sorted(by_kind):
        digests, pids = by_kind[kind]
        name = kind.encode()
        blob = b"".join(digests)
        words = np.frombuffer(blob, dtype=">u8").reshape(-1, 2)
        person = np.asarray(pids, dtype=np.int64)
        order = np.lexsort((person, words[:, 1], words[:, 0]))
        out = np.empty(len(pids), dtype=[
            ("fields", ">i2"), ("person_size", ">i4"), ("person", ">i8"), ("incident_size", ">i4"),
            ("incident", ">i8"), ("kind_size", ">i4"), ("kind", f"S{len(name)}"),
            ("digest_size", ">i4"), ("digest", f"S{BLIND_INDEX_BYTES}")])
        out["fields"] = len(KEY_COLUMNS)
        out["person_size"] = out["incident_size"] = 8
        out["person"] = person[order]
        out["incident"] = incident_id
        out["kind_size"] = len(name)
        out["kind"] = name
        out["digest_size"] = BLIND_INDEX_BYTES
        out["digest"] = np.frombuffer(blob, dtype=f"S{BLIND_INDEX_BYTES}")[order]
        parts.append(out.tobytes())
    parts.append(_COPY_TRAILER)
    return b"".join(parts)


def _copy(model, columns: tuple[str, ...], data: str | bytes, binary: bool = False) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    form = " (FORMAT BINARY)" if binary else ""
    with connection.cursor() as cursor, cursor.cursor.copy(
            f'COPY "{model._meta.db_table}" ({names}) FROM STDIN{form}') as copy:
        copy.write(data)


def _executemany(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f'INSERT INTO "{model._meta.db_table}" ({names}) VALUES ({marks})',  # noqa: S608
                           rows)
