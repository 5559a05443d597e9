"""Which version of the look-up key rules each incident's blind indexes were built with
(``registry.LOOKUP_RULES_VERSION``). Every registry that exists was built before versions were
recorded: it gets the first version, so the window warns until ``rouei people reindex``."""

import django.db.models.deletion
from django.db import migrations, models

FIRST_LOOKUP_RULES_VERSION = 1  # as in rouei.people.registry (a migration keeps its own copy)


def existing_registries_get_the_first_version(apps, schema_editor):
    person = apps.get_model("people", "Person")
    rules = apps.get_model("people", "RegistryKeyRules")
    incidents = person.objects.values_list("incident_id", flat=True).distinct()
    rules.objects.bulk_create(rules(incident_id=pk, version=FIRST_LOOKUP_RULES_VERSION)
                              for pk in incidents.order_by())


class Migration(migrations.Migration):

    dependencies = (
        ('incidents', '0005_encrypt_personal_text'),
        ('people', '0011_narrow_person_keys'),
    )

    operations = (
        migrations.CreateModel(
            name='RegistryKeyRules',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveSmallIntegerField()),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('incident', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='incidents.incident')),
            ],
        ),
        migrations.RunPython(existing_registries_get_the_first_version,
                             migrations.RunPython.noop),
    )
