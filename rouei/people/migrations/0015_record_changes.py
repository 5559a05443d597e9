"""The registry's tables record their writes as changes of their incident (``rouei.core.changes``):
the incident page reads a stamp through an index instead of counting the registry on each view."""

from django.db import migrations

from rouei.core.changes import record_changes


class Migration(migrations.Migration):

    dependencies = (
        ("core", "0004_relation_change"),
        ("people", "0014_key_rules_address_normaliser"),
    )

    operations = (
        record_changes("people_person", "people_inquiry", "people_claim", "people_personrequest"),
    )
