"""The blind-index table rebuilt for bulk writes (docs/benchmarks.md, "Session 10: the
import"): the look-up columns become the primary key (no surrogate id, no second index on
them), no index of its own on the incident, no database foreign keys. A table's primary key
cannot be changed in place, so the keys are copied into a new table, the old one dropped and
the new one renamed: every existing key is kept (SQLite and PostgreSQL alike)."""

import django.db.models.deletion
from django.db import migrations, models

# DISTINCT: the old table had no key of its own, the new one refuses a repeat.
FORWARD = ('INSERT INTO "people_newpersonkey" (person_id, incident_id, kind, digest) '
           'SELECT DISTINCT person_id, incident_id, kind, digest FROM "people_personkey"')
BACKWARD = ('INSERT INTO "people_personkey" (person_id, incident_id, kind, digest) '
            'SELECT person_id, incident_id, kind, digest FROM "people_newpersonkey"')


class Migration(migrations.Migration):

    dependencies = (
        ('incidents', '0005_encrypt_personal_text'),
        ('people', '0010_name_place_key'),
    )

    operations = (
        migrations.CreateModel(
            name='NewPersonKey',
            fields=[
                ('pk', models.CompositePrimaryKey('incident_id', 'kind', 'digest', 'person_id',
                                                  blank=True, editable=False, primary_key=True,
                                                  serialize=False)),
                ('person', models.ForeignKey(db_constraint=False,
                                             on_delete=django.db.models.deletion.CASCADE,
                                             related_name='+', to='people.person')),
                ('incident', models.ForeignKey(db_constraint=False, db_index=False,
                                               on_delete=django.db.models.deletion.CASCADE,
                                               related_name='+', to='incidents.incident')),
                ('kind', models.CharField(choices=[
                    ('ref', 'Reference number'), ('phone', 'Phone'), ('email', 'E-mail'),
                    ('name_birth', 'Name and birth date'),
                    ('kana_birth', 'Reading and birth date'), ('name_phone', 'Name and phone'),
                    ('name_email', 'Name and e-mail'), ('name_address', 'Name and address'),
                    ('name_place', 'Name and address without the room')],
                    max_length=12)),
                ('digest', models.BinaryField(max_length=16)),
            ],
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.DeleteModel(name='PersonKey'),
        migrations.RenameModel(old_name='NewPersonKey', new_name='PersonKey'),
        migrations.AlterField(
            model_name='personkey',
            name='person',
            field=models.ForeignKey(db_constraint=False,
                                    on_delete=django.db.models.deletion.CASCADE,
                                    related_name='keys', to='people.person'),
        ),
        migrations.AddConstraint(
            model_name='personkey',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'ref')),
                                               fields=('incident', 'digest'),
                                               name='people_key_ref_unique'),
        ),
    )
