"""The address normaliser (``ROUEI_ADDRESS_NORMALISER``) a registry's keys were built with,
recorded with the version of the look-up key rules: a registry built under one normaliser and
read under another is stale until ``rouei people reindex``. Every registry that exists gets
the default ("rules"), which built it unless the setting was changed."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = (
        ('people', '0013_person_key_brin'),
    )

    operations = (
        migrations.AddField(
            model_name='registrykeyrules',
            name='address_normaliser',
            field=models.CharField(default='rules', max_length=16),
        ),
    )
