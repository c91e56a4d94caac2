from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0007_flag_clinician_summary"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="discharged_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
