"""Filed reports (提出記録, issue 11 guard rail 3) and the timeline kind that records them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = (
        ('incidents', '0003_drop_assessment_copies'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    )

    operations = (
        migrations.AlterField(
            model_name='timelineevent',
            name='kind',
            field=models.CharField(choices=[('occurred', 'Occurred'), ('detected', 'Detected'), ('knew', 'Company knew (deadline clock)'), ('action', 'Response action'), ('duty_change', 'Duty changed'), ('status_change', 'Status changed'), ('report_filed', 'Report filed')], max_length=20, verbose_name='kind'),
        ),
        migrations.CreateModel(
            name='FiledReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('kind', models.CharField(choices=[('preliminary', 'Preliminary report (速報)'), ('final', 'Final report (確報)'), ('supplement', 'Supplement (追完)'), ('my_number', 'Report under the My Number Act'), ('processor_notice', "Processor's notice to the controller")], max_length=20, verbose_name='report')),
                ('filed_at', models.DateTimeField(verbose_name='filed at')),
                ('channel', models.CharField(choices=[('ppc_form', 'PPC online form'), ('email', 'E-mail'), ('post', 'Post'), ('other', 'Other')], max_length=20, verbose_name='channel')),
                ('receipt_number', models.CharField(blank=True, max_length=100, verbose_name='receipt number (受付番号)')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('filed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='filed by')),
                ('incident', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='filed_reports', to='incidents.incident')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'filed report',
                'verbose_name_plural': 'filed reports',
                'ordering': ('incident', 'filed_at', 'id'),
            },
        ),
    )
