"""Writing many registry rows at once, below the ORM: an import of ten million people cannot
afford a model instance per row. PostgreSQL gets COPY (ids reserved from the table's sequence
first, so the keys can point at their person); SQLite gets ``executemany`` with ids after the
highest ever given (the import holds SQLite's write lock: nobody else is inserting).

Both run inside the import's transaction; the values are what the ORM would write (the sealed
record encrypted by ``rouei.core.crypto.encrypt``, JSON as text, the timestamps)."""

from __future__ import annotations

import json

from django.db import connection
from django.utils import timezone

from rouei.core.crypto import encrypt
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


def person_row(person_id: int, incident_id: int, *, sealed_json: str, items: list[str],
               confirmed: bool, controller: str, has_email: bool, has_postal: bool) -> tuple:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return (person_id, now, now, incident_id, encrypt(sealed_json), json.dumps(items),
            confirmed, controller, has_email, has_postal, NoticeStatus.NOT_NOTIFIED.value)


def insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    table = model._meta.db_table
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608
                           rows)


def insert_people(rows: list[tuple]) -> None:
    insert(Person, PERSON_COLUMNS, rows)


def insert_keys(rows: list[tuple]) -> None:
    insert(PersonKey, KEY_COLUMNS, rows)
