"""Existing reasons for a due date set by hand, encrypted at rest (issue 15).

The columns become encrypted fields, then ``encrypt_existing`` encrypts the rows in batches
(reversed: decrypts them, then the columns turn back)."""

from django.db import migrations

import rouei.core.crypto
from rouei.core.crypto import encrypt_existing


class Migration(migrations.Migration):

    dependencies = (
        ('playbooks', '0003_task_not_needed_reason_card_playbook'),
    )

    operations = (
        migrations.AlterField(
            model_name='task',
            name='due_override_reason',
            field=rouei.core.crypto.EncryptedTextField(blank=True, verbose_name='reason for the due date'),
        ),
        encrypt_existing('playbooks', 'task', 'due_override_reason'),
    )
