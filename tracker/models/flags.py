from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Severity(models.IntegerChoices):
    """Higher is more urgent, so ordering by -severity puts emergencies first."""

    REVIEW_EXERCISE = 1, "Review exercise"
    CONTACT_PROVIDER = 2, "Contact provider"
    EMERGENCY = 3, "Emergency"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


UNRESOLVED = [FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED]


class FlagQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(status__in=UNRESOLVED)


class Flag(models.Model):
    """A warning raised by a rule about a patient's symptoms, until a clinician resolves it."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    rule_id = models.CharField(max_length=60)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    # Review-exercise flags concern one assignment; others have none.
    assignment = models.ForeignKey(
        "routines.Assignment", on_delete=models.PROTECT, null=True, blank=True, related_name="flags"
    )
    # One unresolved flag per patient per dedupe key (rule, plus assignment for
    # per-exercise rules); new evidence updates it instead of adding another.
    dedupe_key = models.CharField(max_length=100)
    # Two voices, both written when the rule finds the problem: `explanation`
    # to the patient, `clinician_summary` about the patient for the care team.
    explanation = models.TextField()
    clinician_summary = models.TextField(blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=15, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    still_applies = models.BooleanField(
        default=True, help_text="False once the latest evaluation no longer finds the problem."
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-severity", "opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "dedupe_key"],
                condition=models.Q(status__in=UNRESOLVED),
                name="flag_one_unresolved_per_rule",
            ),
            models.CheckConstraint(condition=models.Q(severity__in=Severity.values), name="flag_severity_valid"),
            models.CheckConstraint(condition=models.Q(status__in=FlagStatus.values), name="flag_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status=FlagStatus.RESOLVED)
                | (models.Q(resolved_at__isnull=False) & models.Q(resolved_by__isnull=False)),
                name="flag_resolved_has_who_and_when",
            ),
        ]
        indexes = [models.Index(fields=["patient", "status", "-severity"], name="flag_patient_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} for {self.patient}: {self.rule_id}"

    @property
    def is_unresolved(self) -> bool:
        return self.status in UNRESOLVED
