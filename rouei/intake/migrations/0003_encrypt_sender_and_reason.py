"""Existing signals' sender name and contact and the reason no action is needed, encrypted at rest (issue 15).

The columns become encrypted fields, then ``encrypt_existing`` encrypts the rows in batches
(reversed: decrypts them, then the columns turn back)."""

from django.db import migrations

import rouei.core.crypto
from rouei.core.crypto import encrypt_existing


class Migration(migrations.Migration):

    dependencies = (
        ('signals', '0002_intake_group'),
    )

    operations = (
        migrations.AlterField(
            model_name='signal',
            name='dismissed_reason',
            field=rouei.core.crypto.EncryptedTextField(blank=True, verbose_name='reason no action is needed'),
        ),
        migrations.AlterField(
            model_name='signal',
            name='sender_contact',
            field=rouei.core.crypto.EncryptedTextField(blank=True, verbose_name="sender's contact"),
        ),
        migrations.AlterField(
            model_name='signal',
            name='sender_name',
            field=rouei.core.crypto.EncryptedTextField(blank=True, verbose_name="sender's name"),
        ),
        encrypt_existing('signals', 'signal', 'sender_name', 'sender_contact', 'dismissed_reason'),
    )
