import uuid

from django.conf import settings
from django.db import migrations, models

import tracker.models.notifications


def give_each_notification_its_own_message_id(apps, schema_editor):
    FlagNotification = apps.get_model("tracker", "FlagNotification")
    for notification in FlagNotification.objects.filter(message_id__isnull=True).only("pk"):
        notification.message_id = f"<{uuid.uuid4().hex}@{settings.MESSAGE_ID_DOMAIN}>"
        notification.save(update_fields=["message_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0003_patient_summary"),
    ]

    operations = [
        migrations.AddField(
            model_name="flagnotification",
            name="message_id",
            field=models.CharField(editable=False, max_length=255, null=True),
        ),
        migrations.RunPython(give_each_notification_its_own_message_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="flagnotification",
            name="message_id",
            field=models.CharField(
                default=tracker.models.notifications.new_message_id, editable=False, max_length=255, unique=True
            ),
        ),
    ]
