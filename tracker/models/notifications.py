import uuid

from django.conf import settings
from django.db import models

from .flags import Severity


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENT = "sent", "Sent"
    FAILED = "failed", "Gave up"


def new_message_id() -> str:
    """A Message-ID for an e-mail about to be written, e.g. <4f1c...@tracker.example-clinic.org>."""
    return f"<{uuid.uuid4().hex}@{settings.MESSAGE_ID_DOMAIN}>"


class FlagNotification(models.Model):
    """One e-mail to one care-team clinician about a flag that opened or rose in severity.

    An outbox row: it is written in the same transaction as the flag, together
    with the task that sends it. A failed send stays here with its error and
    the time of the next try, so nothing is lost if the mail server or the
    worker is down; the workers' sweep queues anything left waiting.

    The row is the e-mail's idempotency key: one per flag, recipient and
    severity (a database constraint), and its Message-ID is fixed when the row
    is written. Every try sends the same Message-ID, so when a mail server
    accepted a message but the answer never came back, the retry is the same
    message and the recipient's mailbox shows it once.
    """

    flag = models.ForeignKey("tracker.Flag", on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The severity the e-mail announces: a flag that rises again gets a new e-mail.
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    message_id = models.CharField(max_length=255, unique=True, default=new_message_id, editable=False)
    status = models.CharField(max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["flag", "recipient", "severity"], name="flag_notification_once_per_severity"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=NotificationStatus.values), name="flag_notification_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=NotificationStatus.SENT) | models.Q(sent_at__isnull=False),
                name="flag_notification_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="flag_notification_due_idx")]

    def __str__(self) -> str:
        return f"E-mail to {self.recipient} about flag {self.flag_id} ({self.get_status_display()})"
