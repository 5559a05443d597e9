"""Audit rows signed with a key (HMAC-SHA256, ``rouei.core.audit_keys``).

Rows written before keep hash format 1 (unkeyed SHA-256) and still verify, as the prefix of
the trail: if there are any, a first signed checkpoint (``rouei.core.checkpoints``, reason
``upgrade``) records where that prefix ends (``legacy_until``) and its last hash, so that an
unkeyed row after it is a forgery and the prefix cannot be cut short or rewritten.
"""

from django.db import migrations, models


def anchor_unkeyed_rows(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    last = (AuditEvent.objects.using(schema_editor.connection.alias).order_by("-sequence")
            .values_list("sequence", "hash").first())
    if last is None:
        return  # a new trail: every row will be signed
    from rouei.core import checkpoints

    sequence, head = last
    checkpoints.write(sequence, head, reason="upgrade", legacy_until=sequence)


class Migration(migrations.Migration):

    dependencies = (
        ("core", "0001_initial"),
    )

    operations = (
        migrations.AddField(
            model_name="auditevent",
            name="hash_format",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="hash format"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16,
                                   verbose_name="signing key id"),
        ),
        migrations.RunPython(anchor_unkeyed_rows, migrations.RunPython.noop),
    )
