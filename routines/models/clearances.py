from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Decision(models.TextChoices):
    CLEARED = "cleared", "Cleared for exercise"
    RESTRICTED = "restricted", "Cleared with restrictions"
    NOT_CLEARED = "not_cleared", "Not cleared"


class Clearance(models.Model):
    """A doctor's decision about whether a patient may exercise.

    The newest decision for a patient is the one in force. It allows exercise
    only while it is not revoked and not past its last valid day (in the
    patient's time zone).
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clearances")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    covers_neck = models.BooleanField(default=False)
    covers_lower_back = models.BooleanField(default=False)
    covers_general = models.BooleanField(default=False)
    restrictions = models.TextField(blank=True, max_length=2000)
    decided_on = models.DateField()
    valid_until = models.DateField(
        null=True, blank=True, help_text="Last day the decision holds; empty means open-ended."
    )
    # In-app decisions have the doctor; a physiotherapist recording an approval
    # given elsewhere fills in the doctor's name and is the recorder.
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="clearances_given"
    )
    external_doctor_name = models.CharField(max_length=150, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(blank=True, max_length=2000)
    # The form's one-time token: a repeated POST finds this decision instead of adding another (tracker.idempotency).
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        get_latest_by = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(decision__in=Decision.values), name="clearance_decision_valid"),
            models.CheckConstraint(
                condition=~models.Q(decision=Decision.CLEARED)
                | models.Q(covers_neck=True, covers_lower_back=True, covers_general=True),
                name="clearance_full_covers_all_regions",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision=Decision.NOT_CLEARED)
                | models.Q(covers_neck=False, covers_lower_back=False, covers_general=False),
                name="clearance_refusal_covers_nothing",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision=Decision.RESTRICTED)
                | (
                    ~models.Q(restrictions="")
                    & (models.Q(covers_neck=True) | models.Q(covers_lower_back=True) | models.Q(covers_general=True))
                ),
                name="clearance_restricted_says_what",
            ),
            models.CheckConstraint(
                condition=models.Q(doctor__isnull=False) | ~models.Q(external_doctor_name=""),
                name="clearance_names_a_doctor",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("decided_on")),
                name="clearance_valid_until_after_decision",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True)
                | (models.Q(revoked_by__isnull=False) & ~models.Q(revoke_reason="")),
                name="clearance_revocation_has_who_and_why",
            ),
        ]
        indexes = [models.Index(fields=["patient", "-recorded_at"], name="clearance_patient_latest_idx")]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} for {self.patient} ({self.decided_on})"

    @property
    def doctor_name(self) -> str:
        return self.doctor.display_name if self.doctor_id else self.external_doctor_name

    @property
    def is_external(self) -> bool:
        return self.doctor_id is None

    def covers(self, region: str) -> bool:
        return getattr(self, f"covers_{region}", False)

    @property
    def regions_covered(self) -> list[str]:
        from .exercises import Region

        return [label for value, label in Region.choices if self.covers(value)]
