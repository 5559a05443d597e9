"""The two rendered copies of each assessment go, now that 0002 moved them into ``record``."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = (
        ("incidents", "0002_assessment_record"),
    )

    operations = (
        migrations.RemoveField(model_name="assessmentsnapshot", name="result"),
        migrations.RemoveField(model_name="assessmentsnapshot", name="result_en"),
        migrations.AlterField(
            model_name="assessmentsnapshot",
            name="record",
            field=models.JSONField(verbose_name="assessment"),
        ),
    )
