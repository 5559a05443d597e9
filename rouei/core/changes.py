"""Which incidents' large relations have changed, kept by the database itself (issue 15).

The incident page keeps its body until anything it shows may have changed
(``rouei.core.pagestate``). For most relations it digests their rows on each view; a relation
that grows with the leak (the people registry: millions of rows; its inquiries, claims and
requests) cannot be read on every view. Such a table carries triggers that add a
``core_relationchange`` row for each incident whose rows a statement inserted, updated or
deleted, whoever wrote them (the ORM, ``update()``, a bulk COPY, raw SQL, another process), and
``stamp_sql`` reads, through an index, how many such rows an incident has and the newest.

Why a new row per statement and not a counter: a counter row would be locked by every writer
until its transaction ends, so an import (one long transaction) would hold up every other write
to the registry and could deadlock with them. Rows only added take no lock. Why the count as
well as the newest id: ids are handed out when a row is written, not when its transaction
commits, so a slow transaction may commit a change older than the newest one already seen; the
count still moves.

PostgreSQL: statement-level triggers with transition tables (one row per incident per
statement, however many rows the statement wrote). SQLite (tests, small installations) has
only row-level triggers: each written row replaces its incident's change row, so the table
keeps one row per incident there (SQLite writes one transaction at a time; ids are never reused
under AUTOINCREMENT).
"""

from __future__ import annotations

TABLE = "core_relationchange"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION rouei_relation_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('INSERT INTO {TABLE} (incident_id) SELECT DISTINCT %I FROM rouei_new',
                       TG_ARGV[0]);
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE format('INSERT INTO {TABLE} (incident_id) SELECT DISTINCT %I FROM rouei_old',
                       TG_ARGV[0]);
    ELSE
        EXECUTE format('INSERT INTO {TABLE} (incident_id) '
                       'SELECT %1$I FROM rouei_new UNION SELECT %1$I FROM rouei_old',
                       TG_ARGV[0]);
    END IF;
    RETURN NULL;
END
$fn$
"""  # noqa: S608 — the table's name is a constant

# Each operation's transition tables (PostgreSQL) and the row whose incident changed (SQLite).
_OPERATIONS = {
    "insert": ("REFERENCING NEW TABLE AS rouei_new", ("NEW",)),
    "update": ("REFERENCING OLD TABLE AS rouei_old NEW TABLE AS rouei_new", ("OLD", "NEW")),
    "delete": ("REFERENCING OLD TABLE AS rouei_old", ("OLD",)),
}


def _trigger(table: str, operation: str) -> str:
    return f"rouei_changed_{operation}_{table}"


def install_sql(vendor: str, table: str, column: str = "incident_id") -> list[str]:
    """The statements that make ``table``'s writes recorded as changes of the incident in
    ``column`` (run by a migration: ``record_changes``)."""
    if vendor == "postgresql":
        return [_PG_FUNCTION] + [
            f'CREATE TRIGGER {_trigger(table, op)} AFTER {op.upper()} ON "{table}" {refs} '
            f"FOR EACH STATEMENT EXECUTE FUNCTION rouei_relation_changed('{column}')"
            for op, (refs, _rows) in _OPERATIONS.items()]
    if vendor == "sqlite":
        statements = []
        for op, (_refs, rows) in _OPERATIONS.items():
            body = "".join(
                f'DELETE FROM {TABLE} WHERE incident_id = {row}."{column}"; '  # noqa: S608
                f'INSERT INTO {TABLE} (incident_id) VALUES ({row}."{column}"); '
                for row in rows)
            statements.append(f'CREATE TRIGGER {_trigger(table, op)} AFTER {op.upper()} '
                              f'ON "{table}" FOR EACH ROW BEGIN {body}END')
        return statements
    raise NotImplementedError(f"no change triggers for {vendor}")


def uninstall_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS {_trigger(table, op)} ON "{table}"' for op in _OPERATIONS]
    return [f"DROP TRIGGER IF EXISTS {_trigger(table, op)}" for op in _OPERATIONS]


def record_changes(*tables: str):
    """A migration operation: ``tables`` (each with an ``incident_id`` column) record their
    writes as changes of their incident."""
    from django.db import migrations

    def forward(apps, schema_editor):
        _run(schema_editor, [s for t in tables
                             for s in install_sql(schema_editor.connection.vendor, t)])

    def backward(apps, schema_editor):
        _run(schema_editor, [s for t in tables
                             for s in uninstall_sql(schema_editor.connection.vendor, t)])

    return migrations.RunPython(forward, backward, elidable=False)


def _run(schema_editor, statements: list[str]) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def stamp_sql(quote) -> str:
    """A subquery, with one ``%s`` for the incident's id: the number of its change rows and the
    newest, as text (``'0,0'`` when none was ever recorded)."""
    return (f"SELECT CAST(COUNT(*) AS TEXT) || ',' || CAST(COALESCE(MAX({quote('id')}), 0) AS TEXT) "  # noqa: S608
            f"FROM {quote(TABLE)} WHERE {quote('incident_id')} = %s")


# An incident's change rows are only ever added (one per statement that wrote its registry: the
# mailer writes one per e-mail sent), and the page counts them on each view: above this many
# they are compacted into one.
COMPACT_ABOVE = 1_000


def compact(above: int | None = None) -> int:
    """Replace the change rows of each incident that has more than ``above`` by one new row;
    the number of incidents compacted. Run now and then by the workers' heartbeat.

    The new row's id is newer than any id handed out so far, so the stamp after compaction
    (count, newest) was never seen before, and a slow transaction that commits an older change
    afterwards still moves the count. Only rows committed before are deleted; writers only
    insert, so nobody waits on the deletion."""
    from django.db import connection, transaction

    above = COMPACT_ABOVE if above is None else above
    quote = connection.ops.quote_name
    table = quote(TABLE)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('incident_id')}, MAX({quote('id')}) FROM {table} "  # noqa: S608 — a constant table
                       f"GROUP BY {quote('incident_id')} HAVING COUNT(*) > %s", [above])
        crowded = cursor.fetchall()
        for incident_id, newest in crowded:
            cursor.execute(f"DELETE FROM {table} WHERE {quote('incident_id')} = %s "  # noqa: S608
                           f"AND {quote('id')} <= %s", [incident_id, newest])
            cursor.execute(f"INSERT INTO {table} ({quote('incident_id')}) VALUES (%s)",  # noqa: S608
                           [incident_id])
    return len(crowded)
