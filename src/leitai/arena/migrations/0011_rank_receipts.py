from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('arena', '0010_judge_links_calibration'),
    ]

    operations = [
        migrations.AddField(
            model_name='ranksheetrevision',
            name='receipt',
            field=models.CharField(blank=True, db_index=True, max_length=10, verbose_name='回执码'),
        ),
        migrations.AddField(
            model_name='ranksheetrevision',
            name='secret',
            field=models.CharField(blank=True, max_length=32, verbose_name='回执密钥'),
        ),
    ]
