"""Reminders to patients, the clinicians' daily digest, and the browsers they may go to.

A `Reminder` row is both the record (the patient and the care team see it) and
the outbox: the scheduler writes it with its send task in one transaction, and
the database allows one per person, kind and local day, so two schedulers and
two workers running at once still send each reminder once.
"""

from datetime import time

from django.conf import settings
from django.db import models

from tracker.models.notifications import new_message_id

PATIENT_DEFAULT_TIME = time(18, 0)
CLINICIAN_DEFAULT_TIME = time(8, 0)


class ReminderKind(models.TextChoices):
    CHECKIN = "checkin", "Check-in reminder"
    NUDGE = "nudge", "Gentle nudge"
    DIGEST = "digest", "Daily flag digest"


PATIENT_KINDS = [ReminderKind.CHECKIN, ReminderKind.NUDGE]


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent"
    FAILED = "failed", "Could not be sent"


class ReminderSettings(models.Model):
    """One person's choice. Patients: the daily check-in reminder. Clinicians: the daily digest.

    No row means the defaults: on, by e-mail, at 18:00 (patients) or 08:00
    (clinicians) in the person's own time zone.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="reminder_settings"
    )
    enabled = models.BooleanField(default=True)
    send_at = models.TimeField(default=PATIENT_DEFAULT_TIME, help_text="Local time in the person's own time zone.")
    by_email = models.BooleanField(default=True)
    by_push = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reminder settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enabled=False) | models.Q(by_email=True) | models.Q(by_push=True),
                name="reminder_settings_on_needs_a_channel",
                violation_error_message="Choose e-mail, browser notifications or both, or turn reminders off.",
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder settings of {self.user}"


class PushSubscription(models.Model):
    """One browser that agreed to show this person's notifications (the Web Push subscription)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=2000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Browser of {self.user} since {self.created_at:%Y-%m-%d}"


class Reminder(models.Model):
    """One reminder (or digest) for one person on one of their local days, and what became of it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    local_date = models.DateField(help_text="The day in the person's own time zone.")
    due_at = models.DateTimeField()
    # Past this moment it is no use any more (see tracker.reminders.timing.stale_at).
    stale_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    skip_reason = models.CharField(max_length=200, blank=True)
    message_id = models.CharField(max_length=255, unique=True, default=new_message_id, editable=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    pushed_to = models.PositiveSmallIntegerField(default=0, help_text="Browsers that accepted the notification.")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # A worker's claim while sending, or the time of the next try after a failure.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-local_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "local_date"], name="reminder_once_per_kind_and_day"),
            # A check-in reminder or a nudge, never both on one day.
            models.UniqueConstraint(
                fields=["user", "local_date"],
                condition=models.Q(kind__in=PATIENT_KINDS),
                name="reminder_one_patient_reminder_a_day",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=ReminderKind.values), name="reminder_kind_valid"),
            models.CheckConstraint(condition=models.Q(status__in=ReminderStatus.values), name="reminder_status_valid"),
            models.CheckConstraint(
                condition=models.Q(stale_at__gt=models.F("due_at")), name="reminder_stale_after_due"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="reminder_due_idx"),
            models.Index(fields=["local_date"], name="reminder_local_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user} on {self.local_date} ({self.get_status_display()})"

    @property
    def channels(self) -> str:
        """How it reached the person, in plain words ('' if it did not)."""
        ways = []
        if self.emailed_at:
            ways.append("e-mail")
        if self.pushed_to:
            ways.append("browser notification" if self.pushed_to == 1 else f"{self.pushed_to} browser notifications")
        return " and ".join(ways)
