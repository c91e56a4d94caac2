import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Change(models.TextChoices):
    NONE = "none", "None"
    BETTER = "better", "Better"
    SAME = "same", "Same"
    WORSE = "worse", "Worse"
    NEW = "new", "New"


class Extent(models.TextChoices):
    """Centralisation: symptoms retreating toward the spine is a good sign."""

    RETREATING = "retreating", "Moving back toward my spine"
    SAME = "same", "About the same"
    SPREADING = "spreading", "Spreading further down my arm or leg"


# The safety checklist asked every day; each answer is a yes/no question.
RED_FLAG_FIELDS = (
    "bladder_bowel_change",
    "saddle_numbness",
    "both_legs",
    "foot_drop",
    "hand_clumsiness_or_falls",
    "sudden_weakness_or_numbness",
    "fever",
    "weight_loss",
    "night_pain",
)

PAIN_RANGE = models.Q(neck_back_pain__gte=0, neck_back_pain__lte=10) & models.Q(limb_pain__gte=0, limb_pain__lte=10)


class CheckIn(models.Model):
    """One patient's answers for one local calendar day."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins")
    local_date = models.DateField(help_text="The day in the patient's own time zone.")
    neck_back_pain = models.PositiveSmallIntegerField(help_text="0 no pain … 10 worst imaginable")
    limb_pain = models.PositiveSmallIntegerField(help_text="Arm or leg pain, 0 … 10")
    numbness = models.CharField(max_length=10, choices=Change.choices, default=Change.NONE)
    weakness = models.CharField(max_length=10, choices=Change.choices, default=Change.NONE)
    extent = models.CharField(max_length=12, choices=Extent.choices, default=Extent.SAME)
    bladder_bowel_change = models.BooleanField(default=False)
    saddle_numbness = models.BooleanField(default=False)
    both_legs = models.BooleanField(default=False)
    foot_drop = models.BooleanField(default=False)
    hand_clumsiness_or_falls = models.BooleanField(default=False)
    sudden_weakness_or_numbness = models.BooleanField(default=False)
    fever = models.BooleanField(default=False)
    weight_loss = models.BooleanField(default=False)
    night_pain = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=2000)
    # The form's one-time token: a repeated POST of the same form finds this row
    # instead of creating another.
    submission_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-local_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "local_date"],
                name="check_in_one_per_patient_per_day",
                violation_error_message="You have already checked in for this day.",
            ),
            models.CheckConstraint(condition=PAIN_RANGE, name="check_in_pain_0_to_10"),
            models.CheckConstraint(condition=models.Q(numbness__in=Change.values), name="check_in_numbness_valid"),
            models.CheckConstraint(condition=models.Q(weakness__in=Change.values), name="check_in_weakness_valid"),
            models.CheckConstraint(condition=models.Q(extent__in=Extent.values), name="check_in_extent_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} on {self.local_date}"

    @property
    def red_flags_reported(self) -> list[str]:
        return [name for name in RED_FLAG_FIELDS if getattr(self, name)]
