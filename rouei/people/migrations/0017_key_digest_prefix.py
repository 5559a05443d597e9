"""The key table's primary key becomes (incident, the digest's first 8 bytes as a bigint,
person) instead of (incident, kind, digest, person): a third narrower, and cheaper for
PostgreSQL to keep in an import (docs/benchmarks.md, "Session 17: the key table's primary key on
the digest's first 8 bytes"). The kind and the full digest stay in the row (every read by a
digest tests it there); every existing key is kept.

PostgreSQL: one rewrite of the table (the new column computed from the digest as a stored
generated column, then made a plain column) and the new primary key built once, under the
table's exclusive lock (look-ups of every incident wait meanwhile). SQLite: the table rebuilt
with its keys, the prefix computed by a function registered for the copy."""

from django.db import migrations, models

TABLE = "people_personkey"
# The digest's first 8 bytes, big-endian, as a signed bigint (``models.digest_prefix``).
PREFIX_SQL = "('x' || encode(substring(digest FROM 1 FOR 8), 'hex'))::bit(64)::bigint"

SQLITE_COLUMNS = ('"person_id" bigint NOT NULL, "incident_id" bigint NOT NULL, '
                  '"kind" varchar(12) NOT NULL, "digest" BLOB NOT NULL')
SQLITE_INDEXES = (
    f'CREATE INDEX "people_key_person" ON "{TABLE}" ("person_id")',
    f'CREATE UNIQUE INDEX "people_key_ref_unique" ON "{TABLE}" ("incident_id", "digest") '
    "WHERE \"kind\" = 'ref'",
)


def _digest_prefix(digest: bytes) -> int:
    return int.from_bytes(bytes(digest[:8]), "big", signed=True)  # as models.digest_prefix


def _primary_key_name(cursor) -> str:
    cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass "
                   "AND contype = 'p'", [TABLE])
    return cursor.fetchone()[0]


def forward(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            name = _primary_key_name(cursor)
            # One statement, one rewrite: the old primary key dropped first (not rebuilt by
            # the rewrite), the BRIN and the reference's unique index rebuilt by it.
            cursor.execute(f'ALTER TABLE "{TABLE}" DROP CONSTRAINT "{name}", '
                           "ADD COLUMN digest_prefix bigint NOT NULL "
                           f"GENERATED ALWAYS AS ({PREFIX_SQL}) STORED")
            cursor.execute(f'ALTER TABLE "{TABLE}" ALTER COLUMN digest_prefix DROP EXPRESSION')
            cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_pkey" '
                           "PRIMARY KEY (incident_id, digest_prefix, person_id)")
            # The new column's statistics (a sample: seconds at any size): without them the
            # planner takes a prefix for 0.5 % of the table and may leave the index.
            cursor.execute(f'ANALYZE "{TABLE}"')
            return
        connection.connection.create_function("rouei_digest_prefix", 1, _digest_prefix,
                                              deterministic=True)
        cursor.execute(f'CREATE TABLE "new__{TABLE}" ({SQLITE_COLUMNS}, '
                       '"digest_prefix" bigint NOT NULL, '
                       'PRIMARY KEY ("incident_id", "digest_prefix", "person_id"))')
        cursor.execute(f'INSERT INTO "new__{TABLE}" (person_id, incident_id, kind, digest, '  # noqa: S608
                       "digest_prefix) SELECT person_id, incident_id, kind, digest, "
                       f'rouei_digest_prefix(digest) FROM "{TABLE}"')
        _replace_sqlite_table(cursor)


def backward(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            name = _primary_key_name(cursor)
            cursor.execute(f'ALTER TABLE "{TABLE}" DROP CONSTRAINT "{name}", '
                           "DROP COLUMN digest_prefix")
            cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_pkey" '
                           "PRIMARY KEY (incident_id, kind, digest, person_id)")
            return
        cursor.execute(f'CREATE TABLE "new__{TABLE}" ({SQLITE_COLUMNS}, '
                       'PRIMARY KEY ("incident_id", "kind", "digest", "person_id"))')
        cursor.execute(f'INSERT INTO "new__{TABLE}" (person_id, incident_id, kind, digest) '  # noqa: S608
                       f'SELECT person_id, incident_id, kind, digest FROM "{TABLE}"')
        _replace_sqlite_table(cursor)


def _replace_sqlite_table(cursor) -> None:
    cursor.execute(f'DROP TABLE "{TABLE}"')
    cursor.execute(f'ALTER TABLE "new__{TABLE}" RENAME TO "{TABLE}"')
    for statement in SQLITE_INDEXES:
        cursor.execute(statement)


class Migration(migrations.Migration):

    dependencies = (
        ('people', '0016_person_incident_unchecked'),
    )

    operations = (
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='personkey',
                    name='digest_prefix',
                    field=models.BigIntegerField(default=0),
                    preserve_default=False,
                ),
                migrations.AlterField(
                    model_name='personkey',
                    name='pk',
                    field=models.CompositePrimaryKey('incident_id', 'digest_prefix', 'person_id',
                                                     blank=True, editable=False,
                                                     primary_key=True, serialize=False),
                ),
            ],
            database_operations=[migrations.RunPython(forward, backward, elidable=False)],
        ),
    )
