"""The money actually spent on an incident's response (``Spend``); its note is encrypted."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import rouei.core.crypto


class Migration(migrations.Migration):

    dependencies = (
        ("estimates", "0001_initial"),
        ("incidents", "0005_encrypt_personal_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    )

    operations = (
        migrations.CreateModel(
            name="Spend",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True,
                                                    verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("spent_on", models.DateField(verbose_name="date")),
                ("category", models.CharField(max_length=40, verbose_name="category")),
                ("amount", models.PositiveBigIntegerField(verbose_name="amount (yen)")),
                ("note", rouei.core.crypto.EncryptedTextField(blank=True, verbose_name="note")),
                ("version", models.PositiveIntegerField(default=1)),
                ("incident", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="spends",
                    to="incidents.incident")),
                ("recorded_by", models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="+",
                    to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "spend",
                "ordering": ("spent_on", "id"),
            },
        ),
    )
