import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class SessionLog(models.Model):
    """The exercise a patient did on one local day."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_logs")
    local_date = models.DateField()
    submission_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-local_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "local_date"],
                name="session_log_one_per_patient_per_day",
                violation_error_message="There is already a session for this day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} session on {self.local_date}"


class EntryStatus(models.TextChoices):
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class SessionEntry(models.Model):
    """One prescribed exercise within a session: done or skipped, and how it felt."""

    session = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="entries")
    assignment = models.ForeignKey("routines.Assignment", on_delete=models.PROTECT, related_name="entries")
    status = models.CharField(max_length=10, choices=EntryStatus.choices)
    sets_done = models.PositiveSmallIntegerField(null=True, blank=True)
    reps_done = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds_done = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes_done = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    symptoms_worse = models.BooleanField(
        default=False, help_text="Symptoms spread further down the limb or got worse during or after."
    )
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session__local_date", "assignment__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "assignment"],
                name="session_entry_one_per_exercise",
                violation_error_message="This exercise is already logged for this day.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=EntryStatus.values), name="session_entry_status_valid"
            ),
            models.CheckConstraint(
                condition=(models.Q(pain_before__isnull=True) | models.Q(pain_before__lte=10))
                & (models.Q(pain_after__isnull=True) | models.Q(pain_after__lte=10)),
                name="session_entry_pain_0_to_10",
            ),
            models.CheckConstraint(
                condition=(models.Q(sets_done__isnull=True) | models.Q(sets_done__lte=20))
                & (models.Q(reps_done__isnull=True) | models.Q(reps_done__lte=100))
                & (models.Q(hold_seconds_done__isnull=True) | models.Q(hold_seconds_done__lte=600))
                & (models.Q(minutes_done__isnull=True) | models.Q(minutes_done__lte=240)),
                name="session_entry_dose_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} on {self.session.local_date}: {self.status}"
