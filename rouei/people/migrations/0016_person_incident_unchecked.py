"""A person's incident is no longer a foreign key PostgreSQL checks: it checked one per inserted
row at commit (a query each), a third of a second of PostgreSQL's time in an import of 100,000
people (docs/benchmarks.md, "Session 15: the import's PostgreSQL side"). The column and its
index stay. On PostgreSQL only the constraint is dropped: no row is read or written, whatever
the registry's size. SQLite keeps its constraint: dropping it there would rebuild the table
(and lose its change triggers, ``rouei.core.changes``) for an import SQLite does not need fast."""

import django.db.models.deletion
from django.db import migrations, models


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    person = apps.get_model("people", "Person")
    for name in schema_editor._constraint_names(person, ["incident_id"], foreign_key=True):
        schema_editor.execute(schema_editor._delete_fk_sql(person, name))


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    person = apps.get_model("people", "Person")
    field = person._meta.get_field("incident")
    schema_editor.execute(schema_editor._create_fk_sql(person, field,
                                                       "_fk_%(to_table)s_%(to_column)s"))


class Migration(migrations.Migration):

    dependencies = (
        ('incidents', '0005_encrypt_personal_text'),
        ('people', '0015_record_changes'),
    )

    operations = (
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AlterField(
                model_name='person',
                name='incident',
                field=models.ForeignKey(db_constraint=False,
                                        on_delete=django.db.models.deletion.CASCADE,
                                        related_name='people', to='incidents.incident'),
            )],
            database_operations=[migrations.RunPython(drop_constraint, add_constraint,
                                                      elidable=False)],
        ),
    )
