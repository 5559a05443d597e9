"""The group 「受付窓口 / intake」 with signals.view_signal, add_signal and change_signal."""

from django.db import migrations


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from rouei.intake.permissions import ensure_intake_group

    # Permissions are normally created after all migrations ran: create this app's now.
    app_config = apps.get_app_config("signals")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    ensure_intake_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_group(apps, schema_editor):
    from rouei.intake.permissions import INTAKE_GROUP

    apps.get_model("auth", "Group").objects.filter(name=INTAKE_GROUP).delete()


class Migration(migrations.Migration):

    dependencies = (
        ("signals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    )

    operations = (
        migrations.RunPython(create_group, remove_group),
    )
