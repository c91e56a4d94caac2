from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .exercises import TIMES_PER_WEEK_RANGE, Exercise, dose_constraint


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    REMOVED = "removed", "Removed"


class Assignment(models.Model):
    """An exercise prescribed to a patient, with the dose to do.

    Whether the patient may do it *today* is derived, never stored: it also
    needs a clearance in force covering the exercise's region and no open flag
    that pauses it (see routines.selectors).
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="assignments")
    prescribed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sets = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(default=0)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    times_per_week = models.PositiveSmallIntegerField(default=7)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE)
    pause_reason = models.TextField(blank=True, max_length=1000)
    # Bumped on every change; a form carries the version it was built from so
    # two clinicians editing at once cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "exercise"],
                condition=~models.Q(status=AssignmentStatus.REMOVED),
                name="assignment_one_current_per_exercise",
                violation_error_message="This exercise is already in the patient's program.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AssignmentStatus.values), name="assignment_status_valid"
            ),
            dose_constraint("", "assignment_dose_in_range"),
            models.CheckConstraint(
                condition=models.Q(
                    times_per_week__gte=TIMES_PER_WEEK_RANGE[0], times_per_week__lte=TIMES_PER_WEEK_RANGE[1]
                ),
                name="assignment_frequency_in_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=AssignmentStatus.PAUSED) | ~models.Q(pause_reason=""),
                name="assignment_pause_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=AssignmentStatus.REMOVED) | models.Q(removed_at__isnull=False),
                name="assignment_removed_has_time",
            ),
        ]
        indexes = [models.Index(fields=["patient", "status"], name="assignment_patient_status_idx")]

    def __str__(self) -> str:
        return f"{self.exercise} for {self.patient}"
