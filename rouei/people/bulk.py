"""Writing many registry rows at once, below the ORM: an import of ten million people cannot
afford a model instance per row. PostgreSQL gets COPY (ids reserved from the table's sequence
first, so the keys can point at their person); SQLite gets ``executemany`` with ids after the
highest ever given (the import holds SQLite's write lock: nobody else is inserting).

Both run inside the import's transaction; the values are what the ORM would write (the sealed
record as ``rouei.core.crypto.seal`` gives it, JSON as text, the timestamps). PostgreSQL's COPY
gets one block of text per batch (a row per line), not a call per row."""

from __future__ import annotations

import json

from django.db import connection
from django.utils import timezone

from rouei.people.models import NoticeStatus, Person, PersonKey

PERSON_COLUMNS = ("id", "created_at", "updated_at", "incident_id", "sealed", "items",
                  "confirmed", "controller", "has_email", "has_postal", "notice_status")
KEY_COLUMNS = ("person_id", "incident_id", "kind", "digest")


def reserve_ids(count: int) -> list[int]:
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                           "FROM generate_series(1, %s)", [table, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT MAX(id) FROM "{table}"')  # noqa: S608 — a model's own table
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return list(range(start, start + count))


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


def _copy_text(value: str) -> str:
    """``value`` as a field of COPY's text format."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                 .replace("\r", "\\r"))
    return value


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
            f"{pid}{head}{sealed}\t{_copy_text(json.dumps(sorted(items)))}\t"
            f"{'t' if confirmed else 'f'}\t{_copy_text(controller)}\t"
            f"{'t' if has_email else 'f'}\t{'t' if has_postal else 'f'}\t{not_notified}\n"
            for pid, sealed, items, confirmed, controller, has_email, has_postal in rows))
        return
    stamp = connection.ops.adapt_datetimefield_value(now)
    _executemany(Person, PERSON_COLUMNS, [
        (pid, stamp, stamp, incident_id, sealed, json.dumps(sorted(items)), confirmed,
         controller, has_email, has_postal, not_notified)
        for pid, sealed, items, confirmed, controller, has_email, has_postal in rows])


def insert_keys(incident_id: int, rows: list[tuple[int, list[tuple[str, bytes]]]]) -> None:
    """The blind indexes of new people: (person id, [(kind, digest)…]) each, written in the
    order of the table's primary key (kind, digest): the index's pages are then visited once
    each, in order, instead of at random for every key (digests are random)."""
    keys = sorted((kind, digest, pid) for pid, pairs in rows for kind, digest in pairs)
    if not keys:
        return
    if connection.vendor == "postgresql":
        _copy(PersonKey, KEY_COLUMNS, "".join(
            f"{pid}\t{incident_id}\t{kind}\t\\\\x{digest.hex()}\n" for kind, digest, pid in keys))
        return
    _executemany(PersonKey, KEY_COLUMNS, [(pid, incident_id, kind, digest)
                                          for kind, digest, pid in keys])


def _copy(model, columns: tuple[str, ...], data: str) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(
            f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy:
        copy.write(data)


def _executemany(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f'INSERT INTO "{model._meta.db_table}" ({names}) VALUES ({marks})',  # noqa: S608
                           rows)
