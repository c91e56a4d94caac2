from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class CareTeamMembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class CareTeamMembership(models.Model):
    """A clinician who looks after a patient. Ending the link keeps the row for the record."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_team_links")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="caseload_links")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CareTeamMembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "clinician"],
                condition=models.Q(ended_at__isnull=True),
                name="care_team_one_active_link_per_pair",
                violation_error_message="This clinician is already on the patient's care team.",
            ),
            models.CheckConstraint(
                condition=~models.Q(patient=models.F("clinician")),
                name="care_team_not_self",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="care_team_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["clinician", "patient"], name="care_team_clinician_idx")]

    def __str__(self) -> str:
        return f"{self.clinician} → {self.patient}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
