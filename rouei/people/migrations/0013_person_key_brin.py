"""The index of the person a blind index belongs to becomes a BRIN on PostgreSQL (a B-tree
stays on SQLite; ``PersonIdIndex``): the B-tree cost PostgreSQL a third of the keys' write in
an import (docs/benchmarks.md, "Session 12: the import's database side"). The keys stay where
they are; on SQLite the table is rebuilt with them."""

import django.db.models.deletion
from django.db import migrations, models

import rouei.people.models


class Migration(migrations.Migration):

    dependencies = (
        ('incidents', '0005_encrypt_personal_text'),
        ('people', '0012_key_rules_version'),
    )

    operations = (
        migrations.AlterField(
            model_name='personkey',
            name='person',
            field=models.ForeignKey(db_constraint=False, db_index=False,
                                    on_delete=django.db.models.deletion.CASCADE,
                                    related_name='keys', to='people.person'),
        ),
        migrations.AddIndex(
            model_name='personkey',
            index=rouei.people.models.PersonIdIndex(fields=['person'], name='people_key_person'),
        ),
    )
