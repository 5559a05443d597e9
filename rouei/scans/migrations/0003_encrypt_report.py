"""Existing scan reports (file names and column headers) encrypted at rest (issue 15).

The columns become encrypted fields, then ``encrypt_existing`` encrypts the rows in batches
(reversed: decrypts them, then the columns turn back)."""

from django.db import migrations

import rouei.core.crypto
from rouei.core.crypto import encrypt_existing


class Migration(migrations.Migration):

    dependencies = (
        ('scans', '0002_zip_passwords'),
    )

    operations = (
        migrations.AlterField(
            model_name='evidencescan',
            name='report',
            field=rouei.core.crypto.EncryptedJSONField(blank=True, null=True),
        ),
        encrypt_existing('scans', 'evidencescan', 'report'),
    )
