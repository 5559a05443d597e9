"""Existing incidents' summaries, timeline entries (text, reason, system messages, earlier versions) and filed-report notes encrypted at rest (issue 15).

The columns become encrypted fields, then ``encrypt_existing`` encrypts the rows in batches
(reversed: decrypts them, then the columns turn back)."""

from django.db import migrations

import rouei.core.crypto
from rouei.core.crypto import encrypt_existing


class Migration(migrations.Migration):

    dependencies = (
        ('incidents', '0004_filed_reports'),
    )

    operations = (
        migrations.AlterField(
            model_name='filedreport',
            name='note',
            field=rouei.core.crypto.EncryptedTextField(blank=True, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='incident',
            name='summary',
            field=rouei.core.crypto.EncryptedTextField(blank=True, verbose_name='summary'),
        ),
        migrations.AlterField(
            model_name='timelineevent',
            name='data',
            field=rouei.core.crypto.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name='timelineevent',
            name='edited_reason',
            field=rouei.core.crypto.EncryptedTextField(blank=True, verbose_name='reason for the last edit'),
        ),
        migrations.AlterField(
            model_name='timelineevent',
            name='revisions',
            field=rouei.core.crypto.EncryptedJSONField(blank=True, default=list),
        ),
        migrations.AlterField(
            model_name='timelineevent',
            name='text',
            field=rouei.core.crypto.EncryptedTextField(verbose_name='what happened'),
        ),
        encrypt_existing('incidents', 'incident', 'summary'),
        encrypt_existing('incidents', 'timelineevent', 'text', 'edited_reason', 'data', 'revisions'),
        encrypt_existing('incidents', 'filedreport', 'note'),
    )
