"""Existing evidence descriptions, file names, collectors, custody names, purposes and notes, and the incident notes with their earlier versions, encrypted at rest (issue 15).

The columns become encrypted fields, then ``encrypt_existing`` encrypts the rows in batches
(reversed: decrypts them, then the columns turn back)."""

from django.db import migrations

import rouei.core.crypto
from rouei.core.crypto import encrypt_existing


class Migration(migrations.Migration):

    dependencies = (
        ('evidence', '0001_initial'),
    )

    operations = (
        migrations.AlterField(
            model_name='custodyevent',
            name='from_person',
            field=rouei.core.crypto.EncryptedTextField(blank=True, verbose_name='from'),
        ),
        migrations.AlterField(
            model_name='custodyevent',
            name='note',
            field=rouei.core.crypto.EncryptedTextField(blank=True, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='custodyevent',
            name='purpose',
            field=rouei.core.crypto.EncryptedTextField(blank=True, verbose_name='purpose'),
        ),
        migrations.AlterField(
            model_name='custodyevent',
            name='to_person',
            field=rouei.core.crypto.EncryptedTextField(blank=True, verbose_name='to'),
        ),
        migrations.AlterField(
            model_name='evidenceitem',
            name='collected_by_name',
            field=rouei.core.crypto.EncryptedTextField(blank=True, verbose_name='collected by (name)'),
        ),
        migrations.AlterField(
            model_name='evidenceitem',
            name='collected_from',
            field=rouei.core.crypto.EncryptedTextField(verbose_name='collected from (system, host or place)'),
        ),
        migrations.AlterField(
            model_name='evidenceitem',
            name='description',
            field=rouei.core.crypto.EncryptedTextField(verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='evidenceitem',
            name='original_name',
            field=rouei.core.crypto.EncryptedTextField(verbose_name='original file name'),
        ),
        migrations.AlterField(
            model_name='note',
            name='body',
            field=rouei.core.crypto.EncryptedTextField(verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='note',
            name='revisions',
            field=rouei.core.crypto.EncryptedJSONField(blank=True, default=list),
        ),
        encrypt_existing('evidence', 'evidenceitem', 'original_name', 'description', 'collected_from', 'collected_by_name'),
        encrypt_existing('evidence', 'custodyevent', 'from_person', 'to_person', 'purpose', 'note'),
        encrypt_existing('evidence', 'note', 'body', 'revisions'),
    )
