"""The initial playbooks (data/initial_playbooks.yaml), so a fresh database has them.

Later changes to the shipped playbooks come as new migrations; administrators' edits are kept
(``install`` only adds kinds that are missing).
"""

from django.db import migrations


def install(apps, schema_editor):
    from rouei.playbooks import initial

    initial.install(apps.get_model("playbooks", "Playbook"),
                    apps.get_model("playbooks", "TaskTemplate"))


def remove(apps, schema_editor):
    apps.get_model("playbooks", "Playbook").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = (
        ("playbooks", "0001_initial"),
    )

    operations = (
        migrations.RunPython(install, remove),
    )
